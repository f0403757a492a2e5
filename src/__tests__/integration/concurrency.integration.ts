import {expect} from '@loopback/testlab';
import {
  describeBackend,
  givenGroup,
  givenMessages,
  givenUsers,
  TestUser,
  testDbQuery,
  givenChatSuite,
} from '../fixtures';

// The invariants of design.md under real concurrency: many requests at once
// through the HTTP API, on the real database, with the datasource pool of
// the test app (20 connections).
describe(`concurrency invariants (${describeBackend()})`, () => {
  const testApp = givenChatSuite();
  const client = testApp.client;

  const sql = testDbQuery;

  function send(user: TestUser, conversationId: string, body: object) {
    return client
      .post(`/conversations/${conversationId}/messages`)
      .set('Authorization', user.auth)
      .send(body);
  }

  it('gives 50 concurrent senders the seqs 1..50, no gap, no duplicate', async () => {
    const [owner, ...senders] = await givenUsers(51);
    const {id} = await givenGroup(client, owner, senders);
    const responses = await Promise.all(
      senders.map((s, i) => send(s, id, {body: `from sender ${i}`})),
    );
    expect(responses.map(r => r.status)).to.eql(senders.map(() => 201));
    const seqs = responses.map(r => r.body.seq as number);
    expect([...seqs].sort((a, b) => a - b)).to.eql(range(1, 50));

    const rows = await sql<{seq: string}>(
      'SELECT seq FROM chat_messages WHERE conversation_id = $1 ORDER BY seq',
      [id],
    );
    expect(rows.map(r => Number(r.seq))).to.eql(range(1, 50));
    const [conversation] = await sql<{lastSeq: string}>(
      'SELECT last_seq AS "lastSeq" FROM chat_conversations WHERE id = $1',
      [id],
    );
    expect(Number(conversation.lastSeq)).to.equal(50);
    const view = await client
      .get(`/conversations/${id}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(view.body.lastMessage.seq).to.equal(50);
    expect(view.body.unreadCount).to.equal(50);

    // each sender's position is their own message's seq
    const positions = await sql<{userId: string; lastReadSeq: string}>(
      `SELECT user_id AS "userId", last_read_seq AS "lastReadSeq"
       FROM chat_members WHERE conversation_id = $1`,
      [id],
    );
    const bySender = new Map(responses.map(r => [r.body.senderId, r.body.seq]));
    for (const p of positions) {
      expect(Number(p.lastReadSeq)).to.equal(bySender.get(p.userId) ?? 0);
    }
  });

  it('gives 50 concurrent sends of one user the seqs 1..50 in history', async () => {
    const [owner] = await givenUsers(1);
    const {id} = await givenGroup(client, owner);
    const responses = await Promise.all(
      range(1, 50).map(i => send(owner, id, {body: `message ${i}`})),
    );
    expect(responses.every(r => r.status === 201)).to.be.true();
    const history = await client
      .get(`/conversations/${id}/messages?after=0&limit=200`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(history.body.items.map((m: {seq: number}) => m.seq)).to.eql(
      range(1, 50),
    );
    const ids = new Set(responses.map(r => r.body.id));
    expect(ids.size).to.equal(50);
  });

  it('stores one message for 20 concurrent sends with one clientMessageId', async () => {
    const [owner, member] = await givenUsers(2);
    const {id} = await givenGroup(client, owner, [member]);
    await givenMessages(client, owner, id, 1);
    const responses = await Promise.all(
      range(1, 20).map(i =>
        send(member, id, {body: `attempt ${i}`, clientMessageId: 'once'}),
      ),
    );
    const statuses = responses.map(r => r.status).sort();
    expect(statuses).to.eql([...Array(19).fill(200), 201]);
    const created = responses.find(r => r.status === 201)!;
    for (const res of responses) expect(res.body).to.eql(created.body);
    expect(created.body.seq).to.equal(2);

    const [count] = await sql<{n: string}>(
      `SELECT COUNT(*) AS n FROM chat_messages
       WHERE conversation_id = $1 AND client_message_id = 'once'`,
      [id],
    );
    expect(Number(count.n)).to.equal(1);
    const [conversation] = await sql<{lastSeq: string}>(
      'SELECT last_seq AS "lastSeq" FROM chat_conversations WHERE id = $1',
      [id],
    );
    expect(Number(conversation.lastSeq)).to.equal(2);
  });

  it('creates one direct conversation for 10 concurrent requests from both sides', async () => {
    const [a, b] = await givenUsers(2);
    const responses = await Promise.all(
      range(1, 10).map(i => {
        const [from, to] = i % 2 ? [a, b] : [b, a];
        return client
          .post('/conversations')
          .set('Authorization', from.auth)
          .send({type: 'direct', memberIds: [to.id]});
      }),
    );
    const statuses = responses.map(r => r.status).sort();
    expect(statuses).to.eql([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map(r => r.body.id));
    expect(ids.size).to.equal(1);

    const conversations = await sql<{id: string}>(
      "SELECT id FROM chat_conversations WHERE type = 'direct'",
    );
    expect(conversations.map(c => c.id)).to.eql([...ids]);
    const members = await sql<{userId: string}>(
      `SELECT user_id AS "userId" FROM chat_members
       WHERE conversation_id = $1 ORDER BY user_id`,
      [conversations[0].id],
    );
    expect(members.map(m => m.userId).sort()).to.eql([a.id, b.id].sort());
  });

  it('never moves a read position backwards under concurrent mark-read calls', async () => {
    const [owner, reader] = await givenUsers(2);
    const {id} = await givenGroup(client, owner, [reader]);
    await Promise.all(range(1, 30).map(i => send(owner, id, {body: `m${i}`})));
    // the highest position is asked for early, the lower ones after it
    const seqs = [17, 30, 3, ...shuffled(range(1, 29))];
    const responses = await Promise.all(
      seqs.map(seq =>
        client
          .post(`/conversations/${id}/read`)
          .set('Authorization', reader.auth)
          .send({seq}),
      ),
    );
    responses.forEach((res, i) => {
      expect(res.status).to.equal(200);
      // once a call has answered, the position is at least what it asked for
      expect(res.body.lastReadSeq).to.be.aboveOrEqual(seqs[i]);
      expect(res.body.unreadCount).to.equal(30 - res.body.lastReadSeq);
    });
    const [member] = await sql<{lastReadSeq: string}>(
      `SELECT last_read_seq AS "lastReadSeq" FROM chat_members
       WHERE conversation_id = $1 AND user_id = $2`,
      [id, reader.id],
    );
    expect(Number(member.lastReadSeq)).to.equal(30);

    // the logged positions only ever went up
    const events = await sql<{payload: {lastReadSeq: number} | string}>(
      `SELECT payload FROM chat_events
       WHERE conversation_id = $1 AND type = 'read.updated' ORDER BY id`,
      [id],
    );
    const logged = events.map(e => {
      const payload =
        typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload;
      return payload.lastReadSeq as number;
    });
    expect(logged.length).to.be.above(0);
    expect(logged[logged.length - 1]).to.equal(30);
    for (let i = 1; i < logged.length; i++) {
      expect(logged[i]).to.be.above(logged[i - 1]);
    }
  });

  it('keeps the final position at the max of concurrent reads and sends', async () => {
    const [owner, reader] = await givenUsers(2);
    const {id} = await givenGroup(client, owner, [reader]);
    await givenMessages(client, owner, id, 10);
    const work = [
      ...range(1, 10).map(seq =>
        client
          .post(`/conversations/${id}/read`)
          .set('Authorization', reader.auth)
          .send({seq}),
      ),
      send(reader, id, {body: 'my own'}),
    ];
    await Promise.all(work);
    const res = await client
      .get(`/conversations/${id}`)
      .set('Authorization', reader.auth)
      .expect(200);
    expect(res.body.unreadCount).to.equal(0);
    const [member] = await sql<{lastReadSeq: string}>(
      `SELECT last_read_seq AS "lastReadSeq" FROM chat_members
       WHERE conversation_id = $1 AND user_id = $2`,
      [id, reader.id],
    );
    expect(Number(member.lastReadSeq)).to.equal(11);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({length: to - from + 1}, (_, i) => from + i);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
