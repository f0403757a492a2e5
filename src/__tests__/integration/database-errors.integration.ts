import {Context} from '@loopback/core';
import {
  HttpErrors,
  MiddlewareContext,
  ResolvedRoute,
  RestBindings,
} from '@loopback/rest';
import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  ChatDb,
  ChatServiceBindings,
  conversationQueries,
  memberQueries,
} from '../..';
import {
  CHAT_ROUTE_EXTENSION,
  ChatErrorMiddlewareProvider,
  classifyDatabaseError,
} from '../../rest';
import {describeBackend, testBackend, givenChatSuite} from '../fixtures';

// The backstop behind the entry checks: a value longer than its column
// reaches the real database (through the component's ChatDb, so the ORM's
// wrapper of the driver error), and the error middleware answers 422
// VALUE_TOO_LONG, naming the field when the database names the column.
describe(`value too long for its column (${describeBackend()})`, () => {
  const testApp = givenChatSuite();
  let db: ChatDb;

  before(async () => {
    db = await testApp.app.get(ChatServiceBindings.DATABASE);
  });

  async function failure(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (err) {
      return err;
    }
    throw new Error('expected the database to refuse the value');
  }

  async function throughMiddleware(err: unknown) {
    const ctx = new Context();
    ctx
      .bind(RestBindings.Operation.ROUTE)
      .to({spec: {[CHAT_ROUTE_EXTENSION]: true}} as unknown as ResolvedRoute);
    try {
      await new ChatErrorMiddlewareProvider().handle(
        ctx as MiddlewareContext,
        () => {
          throw err;
        },
      );
    } catch (mapped) {
      return mapped as HttpErrors.HttpError & {details?: object[]};
    }
    throw new Error('expected the middleware to throw');
  }

  it('answers 422 VALUE_TOO_LONG for an over-long title', async () => {
    const id = randomUUID();
    await conversationQueries.insertConversation(db, {
      id,
      tenantId: '',
      type: 'group',
      title: 'Team',
      externalId: null,
      metadata: null,
      directKey: null,
      createdBy: 'owner',
      createdAt: new Date(),
    });
    const err = await failure(() =>
      db.transaction(tx =>
        conversationQueries.updateConversation(
          tx,
          id,
          {title: '"'.repeat(256)},
          'owner',
          new Date(),
        ),
      ),
    );
    const mysql = testBackend().db === 'mysql';
    expect(classifyDatabaseError(err)).to.eql(
      mysql
        ? {kind: 'value-too-long', column: 'title'}
        : {kind: 'value-too-long'},
    );
    const mapped = await throughMiddleware(err);
    expect(mapped.statusCode).to.equal(422);
    expect(mapped.code).to.equal('VALUE_TOO_LONG');
    if (mysql) {
      expect(mapped.message).to.equal('title: too long to store');
      expect(mapped.details).to.eql([
        {path: 'title', code: 'VALUE_TOO_LONG', message: mapped.message},
      ]);
    } else {
      expect(mapped.message).to.equal('A value: too long to store');
    }
  });

  it('answers 422 VALUE_TOO_LONG for an over-long member id outside a transaction', async () => {
    const err = await failure(() =>
      memberQueries.insertMembers(
        db,
        {id: randomUUID(), tenantId: ''},
        [{userId: 'u'.repeat(300), role: 'member'}],
        0,
        'owner',
        new Date(),
      ),
    );
    expect(classifyDatabaseError(err)).to.containDeep({kind: 'value-too-long'});
    expect((await throughMiddleware(err)).statusCode).to.equal(422);
  });
});
