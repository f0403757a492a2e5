import {expect} from '@loopback/testlab';
import {execFileSync} from 'child_process';
import {randomUUID} from 'crypto';
import {ChatClient} from '../../client';
import {packageRoot} from '../../migrate/connection';
import {clientFor, givenUsers, TestUser, givenChatSuite} from '../fixtures';

// loopback4-chat-service/client against the real server: each method
// answers what the API answers.
describe('client: conversations, members, messages, read state (integration)', () => {
  const testApp = givenChatSuite();
  let alice: TestUser, bob: TestUser, carol: TestUser;
  let asAlice: ChatClient, asBob: ChatClient;
  beforeEach(async () => {
    [alice, bob, carol] = await givenUsers(3);
    asAlice = clientFor(testApp, alice);
    asBob = clientFor(testApp, bob);
  });

  it('loads as loopback4-chat-service/client without any server code', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const c = require('loopback4-chat-service/client');
         console.log(JSON.stringify({
           client: typeof c.ChatClient,
           loaded: Object.keys(require.cache).map(f => require('path')
             .relative(process.cwd(), f)).sort(),
         }));`,
      ],
      {cwd: packageRoot(), encoding: 'utf8'},
    );
    const {client, loaded} = JSON.parse(out);
    expect(client).to.equal('function');
    // its own files only: no LoopBack, no node_modules
    expect(loaded.filter((f: string) => !f.startsWith('dist/client/'))).to.eql(
      [],
    );
  });

  it('creates, finds, lists and updates conversations', async () => {
    const group = await asAlice.createConversation({
      type: 'group',
      title: 'Case 7',
      memberIds: [bob.id],
      externalId: 'case-7',
    });
    expect(group).to.containDeep({type: 'group', title: 'Case 7'});
    const direct = await asAlice.direct(bob.id);
    expect(await asBob.direct(alice.id)).to.containDeep({id: direct.id});

    const page = await asBob.listConversations({limit: 1});
    expect(page.items).to.have.length(1);
    const next = await asBob.listConversations({cursor: page.nextCursor!});
    expect([...page.items, ...next.items].map(c => c.id).sort()).to.eql(
      [group.id, direct.id].sort(),
    );
    const found = await asBob.listConversations({externalId: 'case-7'});
    expect(found.items.map(c => c.id)).to.eql([group.id]);

    const updated = await asAlice.updateConversation(group.id, {title: 'C7'});
    expect(updated.title).to.equal('C7');
    expect((await asBob.getConversation(group.id)).title).to.equal('C7');
  });

  it('adds, lists, changes and removes members', async () => {
    const group = await asAlice.createConversation({type: 'group', title: 'T'});
    const added = await asAlice.addMembers(group.id, [bob.id, carol.id]);
    expect(added.items.map(m => m.userId).sort()).to.eql(
      [alice.id, bob.id, carol.id].sort(),
    );
    const admin = await asAlice.changeRole(group.id, bob.id, 'admin');
    expect(admin).to.containDeep({userId: bob.id, role: 'admin'});
    await asBob.removeMember(group.id, carol.id);
    const {items} = await asAlice.listMembers(group.id);
    expect(items.map(m => [m.userId, m.role]).sort()).to.eql(
      [
        [alice.id, 'owner'],
        [bob.id, 'admin'],
      ].sort(),
    );
  });

  it('sends, pages, reads, edits and deletes messages', async () => {
    const {id} = await asAlice.direct(bob.id);
    const first = await asAlice.sendMessage(id, {body: 'one'});
    expect(first.clientMessageId).to.match(/^[0-9a-f-]{36}$/);
    const reply = await asBob.sendMessage(id, {
      body: 'two',
      clientMessageId: 'mine-1',
      parentMessageId: first.id,
    });
    expect(reply).to.containDeep({seq: 2, clientMessageId: 'mine-1'});

    const after = await asAlice.listMessages(id, {after: 1});
    expect(after.items.map(m => m.body)).to.eql(['two']);
    expect((await asAlice.getMessage(id, reply.id)).parentMessageId).to.equal(
      first.id,
    );
    const edited = await asAlice.editMessage(id, first.id, 'one!');
    expect(edited.editedAt).to.be.a.String();
    await asAlice.deleteMessage(id, first.id);
    const tombstone = await asBob.getMessage(id, first.id);
    expect(tombstone).to.containDeep({body: null, seq: 1});
  });

  it('marks read and answers receipts and unread counts', async () => {
    const {id} = await asAlice.direct(bob.id);
    const one = await asAlice.sendMessage(id, {body: 'one'});
    await asAlice.sendMessage(id, {body: 'two'});
    expect(await asBob.unread()).to.eql({
      total: 2,
      conversations: [{conversationId: id, unreadCount: 2}],
      truncated: false,
    });
    expect(await asBob.markRead(id, 1)).to.eql({
      lastReadSeq: 1,
      unreadCount: 1,
    });
    expect(await asAlice.receipts(id, one.id)).to.eql({
      items: [{userId: bob.id, lastReadSeq: 1}],
    });
  });

  it('treats ids as path segments, never as paths', async () => {
    const err = await asAlice
      .getConversation(`${randomUUID()}/members`)
      .catch(e => e);
    expect(err).to.containDeep({status: 404});
  });
});
