import {expect} from '@loopback/testlab';
import type request from 'supertest';
import {
  describeBackend,
  eventually,
  givenGroup,
  givenLockHolder,
  givenUsers,
  testDbQuery,
  waitForLockWaits,
  givenChatSuite,
} from '../fixtures';

// issue #13: a member removed while 20 of their sends are in flight. Every
// send either lands before the removal (201, its event numbered before the
// member's `member.removed`) or is refused (404) and writes nothing.
describe(`sends racing the sender's removal (${describeBackend()})`, () => {
  const testApp = givenChatSuite();
  const client = testApp.client;

  it('lands no message of a removed member after their member.removed', async () => {
    const [owner, member] = await givenUsers(2);
    const {id} = await givenGroup(client, owner, [member]);
    const sends = Array.from({length: 20}, (_, i) =>
      client
        .post(`/conversations/${id}/messages`)
        .set('Authorization', member.auth)
        .send({body: `in flight ${i}`, clientMessageId: `race-${i}`})
        .then(res => res),
    );
    // the removal starts once the first send has landed: the others are
    // in flight around it
    await Promise.race(sends);
    const removal = await client
      .delete(`/conversations/${id}/members/${member.id}`)
      .set('Authorization', owner.auth);
    expect(removal.status).to.equal(204);
    const responses = await Promise.all(sends);

    const created = responses.filter(r => r.status === 201);
    for (const res of responses) {
      expect([201, 404]).to.containEql(res.status);
      if (res.status === 404) {
        expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
      }
    }
    expect(created.length).to.be.above(0);

    // the member's messages are exactly the acknowledged ones, seq gapless
    const stored = await testDbQuery<{clientMessageId: string; seq: string}>(
      `SELECT client_message_id AS "clientMessageId", seq FROM chat_messages
       WHERE conversation_id = $1 ORDER BY seq`,
      [id],
    );
    expect(stored.map(m => m.clientMessageId).sort()).to.eql(
      created.map(r => r.body.clientMessageId).sort(),
    );
    expect(stored.map(m => Number(m.seq))).to.eql(stored.map((_, i) => i + 1));

    // in the log, every message.created comes before the member.removed
    await eventually(
      async () =>
        Number(
          (
            await testDbQuery<{n: string}>(
              'SELECT COUNT(*) AS n FROM chat_event_queue',
            )
          )[0].n,
        ) === 0,
      'every queued event numbered',
    );
    const events = await testDbQuery<{id: string; type: string}>(
      `SELECT id, type FROM chat_events
       WHERE conversation_id = $1 AND type IN ('message.created', 'member.removed')
       ORDER BY id`,
      [id],
    );
    const types = events.map(e => e.type);
    expect(types).to.eql([
      ...created.map(() => 'message.created'),
      'member.removed',
    ]);
  });

  it('refuses every send that was waiting for the lock when the sender was removed', async () => {
    // 8 sends wait on a held lock of the conversation; the lock's holder
    // removes the sender and commits: each send then re-checks the
    // membership under the lock it finally gets, and writes nothing.
    const [owner, member] = await givenUsers(2);
    const {id} = await givenGroup(client, owner, [member]);
    const holder = await givenLockHolder();
    let responses: request.Response[];
    try {
      await holder.begin();
      await holder.query(
        'SELECT id FROM chat_conversations WHERE id = $1 FOR UPDATE',
        [id],
      );
      const sends = Array.from({length: 8}, (_, i) =>
        client
          .post(`/conversations/${id}/messages`)
          .set('Authorization', member.auth)
          .send({body: `queued ${i}`, clientMessageId: `queued-${i}`})
          .then(res => res),
      );
      await waitForLockWaits(8);
      await holder.query(
        'DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
        [id, member.id],
      );
      await holder.commit();
      responses = await Promise.all(sends);
    } finally {
      await holder.rollback().catch(() => undefined);
      await holder.end();
    }
    for (const res of responses) {
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('CONVERSATION_NOT_FOUND');
    }
    expect(
      await testDbQuery(
        'SELECT id FROM chat_messages WHERE conversation_id = $1',
        [id],
      ),
    ).to.eql([]);
    expect(
      await testDbQuery(
        `SELECT queue_id FROM chat_event_queue WHERE conversation_id = $1
         UNION ALL SELECT id FROM chat_events
         WHERE conversation_id = $1 AND type = 'message.created'`,
        [id],
      ),
    ).to.eql([]);
  });
});
