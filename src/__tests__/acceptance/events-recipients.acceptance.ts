import {expect} from '@loopback/testlab';
import {
  givenGroup,
  givenMessages,
  givenRole,
  givenSyncedEvents,
  givenUsers,
  TestUser,
  givenChatSuite,
  givenMessage,
} from '../fixtures';

type Event = Record<string, unknown>;

describe('GET /sync: event shapes and recipients (acceptance)', () => {
  const testApp = givenChatSuite();

  function syncAll(user: TestUser, since?: string) {
    return givenSyncedEvents(testApp.client, user, since);
  }

  const send = (user: TestUser, conversationId: string, body: string) =>
    givenMessage(testApp.client, user, conversationId, body);

  const ofType = (events: Event[], type: string) =>
    events.filter(e => e.type === type);

  it('carries the message in message.created, .updated and .deleted', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const message = await send(alice, group.id, 'hello');
    const path = `/conversations/${group.id}/messages/${message.id}`;
    await testApp.client
      .patch(path)
      .set('Authorization', alice.auth)
      .send({body: 'edited'})
      .expect(200);
    await testApp.client
      .delete(path)
      .set('Authorization', alice.auth)
      .expect(204);
    const events = (await syncAll(bob)).slice(1);
    const common = {conversationId: group.id, actorId: alice.id};
    const same = {id: message.id, seq: 1, senderId: alice.id};
    expect(events).to.containDeepOrdered([
      {...common, type: 'message.created', message: {...same, body: 'hello'}},
      {...common, type: 'message.updated', message: {...same, body: 'edited'}},
      {...common, type: 'message.deleted', message: {...same, body: null}},
    ]);
    expect(events).to.have.length(3);
    const [, updated, deleted] = events as {message: Event}[];
    expect(typeof updated.message.editedAt).to.equal('string');
    expect(typeof deleted.message.deletedAt).to.equal('string');
  });

  it('sends read.updated to all members, but none for a send', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    await givenMessages(testApp.client, alice, group.id, 2);
    await testApp.client
      .post(`/conversations/${group.id}/read`)
      .set('Authorization', bob.auth)
      .send({seq: 2})
      .expect(200);
    for (const user of [alice, bob, carol]) {
      const reads = ofType(await syncAll(user), 'read.updated');
      expect(reads).to.have.length(1);
      expect(reads[0]).to.containDeep({
        conversationId: group.id,
        userId: bob.id,
        lastReadSeq: 2,
      });
    }
  });

  it('gives a new member their own member.added and nothing from before', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    await send(alice, group.id, 'before carol');
    await testApp.client
      .post(`/conversations/${group.id}/members`)
      .set('Authorization', alice.auth)
      .send({userIds: [carol.id]})
      .expect(200);
    await send(alice, group.id, 'with carol');
    const events = await syncAll(carol);
    expect(events.map(e => e.type)).to.eql(['member.added', 'message.created']);
    expect(events[0].members).to.have.length(1);
    expect(events[0]).to.containDeep({
      actorId: alice.id,
      members: [{userId: carol.id, role: 'member'}],
    });
    expect(events[1]).to.containDeep({message: {body: 'with carol'}});
    expect(ofType(await syncAll(bob), 'member.added')).to.have.length(2);
  });

  it('gives a removed member their member.removed, then nothing', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    await testApp.client
      .delete(`/conversations/${group.id}/members/${bob.id}`)
      .set('Authorization', alice.auth)
      .expect(204);
    await send(alice, group.id, 'after bob');
    const bobs = await syncAll(bob);
    expect(bobs.map(e => e.type)).to.eql(['member.added', 'member.removed']);
    expect(bobs[1]).to.containDeep({userId: bob.id, actorId: alice.id});
    for (const user of [alice, carol]) {
      const types = (await syncAll(user)).map(e => e.type);
      expect(types).to.eql([
        'member.added',
        'member.removed',
        'message.created',
      ]);
    }
  });

  it('carries the member in member.updated and the changes in conversation.updated', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    await givenRole(testApp.client, alice, group.id, bob, 'admin');
    await testApp.client
      .patch(`/conversations/${group.id}`)
      .set('Authorization', alice.auth)
      .send({title: 'Renamed'})
      .expect(200);
    const events = (await syncAll(bob)).slice(1);
    expect(events).to.have.length(2);
    expect(events).to.containDeepOrdered([
      {type: 'member.updated', member: {userId: bob.id, role: 'admin'}},
      {type: 'conversation.updated', changes: {title: 'Renamed'}},
    ]);
  });

  it('gives a member who left and came back nothing from the time between', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    await testApp.client
      .delete(`/conversations/${group.id}/members/${bob.id}`)
      .set('Authorization', bob.auth)
      .expect(204);
    await send(alice, group.id, 'while bob was away');
    await testApp.client
      .post(`/conversations/${group.id}/members`)
      .set('Authorization', alice.auth)
      .send({userIds: [bob.id]})
      .expect(200);
    await send(alice, group.id, 'bob is back');
    const events = await syncAll(bob);
    expect(events.map(e => e.type)).to.eql([
      'member.added',
      'member.removed',
      'member.added',
      'message.created',
    ]);
    expect(events[3]).to.containDeep({message: {body: 'bob is back'}});
  });
});
