import {expect} from '@loopback/testlab';
import {asMessageHook, MessageDraft, MessageHook} from '../..';
import {
  describeBackend,
  givenGroup,
  givenMessages,
  givenUsers,
  TestUser,
  givenChatSuite,
} from '../fixtures';

/** Holds every draft whose body is `slow` until the test releases it. */
class Gate {
  entered!: Promise<void>;
  private enter!: () => void;
  private open!: () => void;
  private opened!: Promise<void>;

  constructor() {
    this.reset();
  }

  reset() {
    this.entered = new Promise(resolve => (this.enter = resolve));
    this.opened = new Promise(resolve => (this.open = resolve));
  }

  release() {
    this.open();
  }

  async pass(draft: MessageDraft) {
    if (draft.body !== 'slow') return;
    this.enter();
    await this.opened;
  }
}
const gate = new Gate();

class GateHook implements MessageHook {
  async beforeSave(draft: MessageDraft) {
    await gate.pass(draft);
  }
}

// issue #13: a host's before-save hook ran while the edit held the
// message's row lock and a pooled connection. Hooks now run before any
// lock is taken: other writes to the same message or conversation go on
// while a hook waits.
describe(`before-save hooks hold no lock (${describeBackend()})`, () => {
  const testApp = givenChatSuite(
    {},
    {
      beforeStart: app =>
        app.bind('hooks.gate').toClass(GateHook).apply(asMessageHook),
    },
  );
  let alice: TestUser, bob: TestUser;
  let id: string;

  beforeEach(async () => {
    gate.reset();
    [alice, bob] = await givenUsers(2);
    id = (await givenGroup(testApp.client, alice, [bob])).id;
  });
  // a request still held by a failing test is let go
  afterEach(() => gate.release());

  const edit = (messageId: string, body: string) =>
    testApp.client
      .patch(`/conversations/${id}/messages/${messageId}`)
      .set('Authorization', alice.auth)
      .send({body});

  it('lets another edit of the message commit while an edit hook waits', async () => {
    const [message] = await givenMessages(testApp.client, alice, id, 1);
    const slow = edit(message.id, 'slow').then(res => res);
    await gate.entered;
    // waits for the slow edit's row lock unless the hook runs before it
    const fast = await edit(message.id, 'fast');
    expect(fast.status).to.equal(200);
    expect(fast.body.body).to.equal('fast');
    const remove = await testApp.client
      .delete(`/conversations/${id}/messages/${message.id}`)
      .set('Authorization', alice.auth);
    expect(remove.status).to.equal(204);
    gate.release();
    // checked again under the lock: the message is a tombstone now
    const late = await slow;
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal('MESSAGE_DELETED');
  });

  it('lets other sends and membership changes commit while a send hook waits', async () => {
    const slow = testApp.client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', alice.auth)
      .send({body: 'slow'})
      .then(res => res);
    await gate.entered;
    const other = await testApp.client
      .post(`/conversations/${id}/messages`)
      .set('Authorization', bob.auth)
      .send({body: 'meanwhile'});
    expect(other.status).to.equal(201);
    expect(other.body.seq).to.equal(1);
    await testApp.client
      .delete(`/conversations/${id}/members/${bob.id}`)
      .set('Authorization', alice.auth)
      .expect(204);
    gate.release();
    const late = await slow;
    expect(late.status).to.equal(201);
    expect(late.body.seq).to.equal(2);
  });
});
