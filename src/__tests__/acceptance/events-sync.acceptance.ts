import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {
  bearer,
  givenGroup,
  givenMessages,
  givenSyncedEvents,
  givenSyncPage,
  givenUsers,
  testDbQuery,
  TestUser,
  givenChatSuite,
  givenMessage,
} from '../fixtures';

type Event = Record<string, unknown>;

describe('GET /sync (acceptance)', () => {
  const testApp = givenChatSuite();

  function sync(user: TestUser, query: Record<string, string | number> = {}) {
    return givenSyncPage(testApp.client, user, query);
  }

  function syncAll(user: TestUser, since?: string) {
    return givenSyncedEvents(testApp.client, user, since);
  }

  const send = (user: TestUser, conversationId: string, body: string) =>
    givenMessage(testApp.client, user, conversationId, body);

  const ids = (events: Event[]) => events.map(e => e.id as number);
  const ofType = (events: Event[], type: string) =>
    events.filter(e => e.type === type);

  it('starts at the oldest retained event without since, in id order', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    await givenMessages(testApp.client, alice, group.id, 2);
    const page = await sync(bob);
    expect(page.items.map(e => e.type)).to.eql([
      'member.added',
      'message.created',
      'message.created',
    ]);
    const [oldest] = await testDbQuery<{id: string}>(
      'SELECT MIN(id) AS id FROM chat_events',
    );
    const got = ids(page.items);
    expect(got[0]).to.equal(Number(oldest.id));
    expect(got[1]).to.be.greaterThan(got[0]);
    expect(got[2]).to.be.greaterThan(got[1]);
    expect(page.nextCursor).to.equal(String(got[2]));
    for (const event of page.items) {
      expect(event).to.containDeep({conversationId: group.id});
      expect(typeof event.createdAt).to.equal('string');
    }
  });

  it('never answers a null nextCursor: with nothing new it is since', async () => {
    const [alice, bob] = await givenUsers(2);
    const none = await sync(alice);
    expect(none.items).to.eql([]);
    expect(none.nextCursor).to.match(/^\d+$/);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const page = await sync(alice, {since: none.nextCursor});
    expect(ids(page.items)).to.have.length(1);
    expect(page.items[0]).to.containDeep({
      type: 'member.added',
      conversationId: group.id,
    });
    const again = await sync(alice, {since: page.nextCursor});
    expect(again).to.eql({items: [], nextCursor: page.nextCursor});
  });

  it('accepts since as a string of digits, leading zeros included', async () => {
    const [alice] = await givenUsers(1);
    const group = await givenGroup(testApp.client, alice);
    const [first] = (await sync(alice)).items;
    await send(alice, group.id, 'later');
    const page = await sync(alice, {since: `00${first.id}`});
    expect(page.items.map(e => e.type)).to.eql(['message.created']);
    expect(page.nextCursor).to.equal(String(page.items[0].id));
  });

  it('walks every event exactly once in pages of limit=2', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    await givenMessages(testApp.client, alice, group.id, 6);
    const all = ids((await sync(bob)).items);
    expect(all).to.have.length(7);
    const walked: number[] = [];
    let page = await sync(bob, {limit: 2});
    while (page.items.length > 0) {
      expect(page.items.length).to.be.belowOrEqual(2);
      walked.push(...ids(page.items));
      expect(page.nextCursor).to.equal(String(walked[walked.length - 1]));
      page = await sync(bob, {limit: 2, since: page.nextCursor});
    }
    expect(walked).to.eql(all);
    expect(page.nextCursor).to.equal(String(all[all.length - 1]));
  });

  for (const [query, field, code] of [
    [{limit: 1001}, 'limit', 'INVALID_FIELD'],
    [{limit: 0}, 'limit', 'INVALID_FIELD'],
    [{limit: 'abc'}, 'limit', 'INVALID_PARAMETER_VALUE'],
    [{since: 'abc'}, 'since', 'INVALID_FIELD'],
    [{since: -1}, 'since', 'INVALID_FIELD'],
    [{since: 1.5}, 'since', 'INVALID_FIELD'],
  ] as const) {
    it(`answers 422 naming ${field} for ${JSON.stringify(query)}`, async () => {
      const [alice] = await givenUsers(1);
      const res = await testApp.client
        .get('/sync')
        .query(query)
        .set('Authorization', alice.auth)
        .expect(422);
      const {statusCode, name, message} = res.body.error;
      expect({statusCode, name, code: res.body.error.code}).to.eql({
        statusCode: 422,
        name: 'UnprocessableEntityError',
        code,
      });
      expect(message).to.match(new RegExp(field));
    });
  }

  it('answers only the events of the caller’s conversations', async () => {
    const [alice, bob, eve] = await givenUsers(3);
    const ours = await givenGroup(testApp.client, alice, [bob]);
    const theirs = await givenGroup(testApp.client, eve, [alice]);
    await send(eve, theirs.id, 'not for bob');
    await send(alice, ours.id, 'for bob');
    const events = await syncAll(bob);
    expect(events.map(e => e.conversationId)).to.eql([ours.id, ours.id]);
    expect(ofType(await syncAll(alice), 'message.created')).to.have.length(2);
  });

  it('keeps tenants apart, even for the same user id', async () => {
    const id = randomUUID();
    const other = randomUUID();
    const inAcme = {id, auth: await bearer(id, {tenantId: 'acme'})};
    const acmeOther = {
      id: other,
      auth: await bearer(other, {tenantId: 'acme'}),
    };
    const inGlobex = {id, auth: await bearer(id, {tenantId: 'globex'})};
    const noTenant = {id, auth: await bearer(id)};
    const group = await givenGroup(testApp.client, inAcme, [acmeOther]);
    await send(acmeOther, group.id, 'acme only');
    expect(await syncAll(inAcme)).to.have.length(2);
    expect(await syncAll(inGlobex)).to.eql([]);
    expect(await syncAll(noTenant)).to.eql([]);
  });

  it('uses one global log: any id is a cursor for any user', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const shared = await givenGroup(testApp.client, alice, [bob]);
    const other = await givenGroup(testApp.client, alice, [carol]);
    await send(alice, shared.id, 's1');
    await send(alice, other.id, 'p1');
    await send(alice, shared.id, 's2');
    const alices = await syncAll(alice);
    const all = ids(alices);
    expect(all.every((id, i) => i === 0 || id > all[i - 1])).to.be.true();
    // the cursor of alice's message in a conversation bob is not in
    const cursor = String(
      alices.find(
        e => e.conversationId === other.id && e.type === 'message.created',
      )!.id,
    );
    const page = await sync(bob, {since: cursor});
    expect(page.items).to.have.length(1);
    expect(page.items[0]).to.containDeep({message: {body: 's2'}});
    const bobsAll = await syncAll(bob);
    expect(page.items).to.eql(
      bobsAll.filter(e => (e.id as number) > Number(cursor)),
    );
  });
});
