import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {ChatErrorCodes, ChatServiceBindings, ConversationAccess} from '../..';
import {describeBackend, testDbQuery, givenChatSuite} from '../fixtures';

// A send whose conversation is deleted between the access check and the
// append: on PostgreSQL that append is one statement, elsewhere a
// transaction; either way nothing is written.
describe(`MessageService.send to a conversation gone (${describeBackend()})`, () => {
  const testApp = givenChatSuite();

  it('answers conversation not found and stores no message nor event', async () => {
    const messages = await testApp.app.get(ChatServiceBindings.MESSAGE_SERVICE);
    const gone: ConversationAccess = {
      conversationId: randomUUID(),
      tenantId: '',
      type: 'group',
      userId: 'alice',
      role: 'owner',
      lastReadSeq: 0,
      lastSeq: 0,
    };
    await expect(
      messages.send(gone, {body: 'hello?', clientMessageId: 'c-1'}),
    ).to.be.rejectedWith({code: ChatErrorCodes.CONVERSATION_NOT_FOUND});
    for (const table of ['chat_messages', 'chat_event_queue', 'chat_events']) {
      const [row] = await testDbQuery<{n: number | string}>(
        `SELECT COUNT(*) AS n FROM ${table}`,
      );
      expect({table, n: Number(row.n)}).to.eql({table, n: 0});
    }
  });
});
