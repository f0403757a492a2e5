import {expect} from '@loopback/testlab';
import {
  describeBackend,
  givenGroup,
  givenLockHolder,
  givenUsers,
  LockHolder,
  testBackend,
  testDatabaseUrl,
  testDbQuery,
  TestUser,
  givenChatSuite,
} from '../fixtures';

// Contention the database gives up on (a lock wait timeout here; deadlocks
// and serialization failures take the same path) is answered 503
// SERVICE_UNAVAILABLE with `Retry-After`, never a bare 500: nothing was
// written, and the client may retry at once.
describe(`database contention (${describeBackend()})`, () => {
  const mysql = testBackend().db === 'mysql';
  const database = () => new URL(testDatabaseUrl()).pathname.slice(1);
  let holder: LockHolder;
  let owner: TestUser;
  let id: string;

  before(async () => {
    // the app's connections, opened after this, give up waiting for a lock
    // quickly (MariaDB's least lock wait timeout is one second)
    await testDbQuery(
      mysql
        ? 'SET GLOBAL innodb_lock_wait_timeout = 1'
        : `ALTER DATABASE "${database()}" SET lock_timeout = '300ms'`,
    );
  });
  const testApp = givenChatSuite();
  after(async () => {
    await testDbQuery(
      mysql
        ? 'SET GLOBAL innodb_lock_wait_timeout = DEFAULT'
        : `ALTER DATABASE "${database()}" RESET lock_timeout`,
    );
  });

  beforeEach(async () => {
    [owner] = await givenUsers(1);
    id = (await givenGroup(testApp.client, owner)).id;
    holder = await givenLockHolder();
  });
  afterEach(async () => {
    await holder.rollback().catch(() => undefined);
    await holder.end();
  });

  it('answers a send that timed out waiting for a lock 503 with Retry-After', async () => {
    await holder.begin();
    await holder.query(
      'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
      [id],
    );
    const res = await testApp.client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth)
      .send({body: 'waits', clientMessageId: 'c-1'});
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('1');
    expect(res.body.error).to.containDeep({
      statusCode: 503,
      name: 'ServiceUnavailableError',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(res.body.error.message).to.match(/contention/);
    await holder.rollback();
    // nothing was written: the retry is the first message
    const retry = await testApp.client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', owner.auth)
      .send({body: 'waits', clientMessageId: 'c-1'})
      .expect(201);
    expect(retry.body.seq).to.equal(1);
  });
});
