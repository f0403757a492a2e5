import {expect} from '@loopback/testlab';
import {ChatServiceBindings} from '../..';
import {
  givenGroup,
  givenUsers,
  testDbQuery,
  givenChatSuite,
  givenMessage,
  eventually,
  insertEventWithoutNews,
} from '../fixtures';

const bodyOf = (data: Record<string, unknown>) =>
  (data.message as {body: string}).body;

describe('GET /events: live delivery (acceptance)', () => {
  const testApp = givenChatSuite();

  it('gives a member added live their member.added, then the messages', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const carolStream = await testApp.stream(carol);
    await testApp.client
      .post(`/conversations/${group.id}/members`)
      .set('Authorization', alice.auth)
      .send({userIds: [carol.id]})
      .expect(200);
    await givenMessage(testApp.client, alice, group.id, 'welcome');
    await carolStream.waitFor('message.created');
    expect(carolStream.events.map(e => e.event)).to.eql([
      'member.added',
      'message.created',
    ]);
    expect(carolStream.events[0].data).to.containDeep({
      conversationId: group.id,
      members: [{userId: carol.id}],
    });
    expect(bodyOf(carolStream.events[1].data)).to.equal('welcome');
  });

  it('starts a stream without Last-Event-ID after what was committed before it, routed or not', async () => {
    const [alice, bob] = await givenUsers(2);
    const group = await givenGroup(testApp.client, alice, [bob]);
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    const [clock] = await testDbQuery<{position: number | string}>(
      'SELECT position FROM chat_event_clock WHERE id = 1',
    );
    const routed = Number(clock.position);
    await eventually(() => hub.lastRoutedId === routed, 'all routed');
    // an event committed that this process has not routed yet (as when the
    // caller's own write is still on its way through the bus)
    const id = await insertEventWithoutNews(group.id, alice.id);
    const bobStream = await testApp.stream(bob);
    await givenMessage(
      testApp.client,
      alice,
      group.id,
      'after the stream opened',
    );
    await bobStream.waitFor('message.created');
    expect(bobStream.events.map(e => e.event)).to.eql(['message.created']);
    expect(hub.lastRoutedId).to.be.greaterThan(id);
  });

  it('gives a member removed live their member.removed, then nothing', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    const own = await givenGroup(testApp.client, bob, [], {title: 'Own'});
    const bobStream = await testApp.stream(bob);
    const carolStream = await testApp.stream(carol);
    await testApp.client
      .delete(`/conversations/${group.id}/members/${bob.id}`)
      .set('Authorization', alice.auth)
      .expect(204);
    await givenMessage(testApp.client, alice, group.id, 'without bob');
    await carolStream.waitFor('message.created');
    // a marker in bob's own conversation, sent after the message
    await givenMessage(testApp.client, bob, own.id, 'marker');
    await bobStream.waitFor(
      'message.created',
      f => bodyOf(f.data) === 'marker',
    );
    expect(bobStream.events.map(e => [e.event, e.data.conversationId])).to.eql([
      ['member.removed', group.id],
      ['message.created', own.id],
    ]);
    expect(bobStream.events[0].data).to.containDeep({userId: bob.id});
    expect(carolStream.events.map(e => e.event)).to.eql([
      'member.removed',
      'message.created',
    ]);
  });

  it('delivers read.updated to the other members', async () => {
    const [alice, bob, carol] = await givenUsers(3);
    const group = await givenGroup(testApp.client, alice, [bob, carol]);
    await givenMessage(testApp.client, alice, group.id, 'read me');
    const aliceStream = await testApp.stream(alice);
    const carolStream = await testApp.stream(carol);
    await testApp.client
      .post(`/conversations/${group.id}/read`)
      .set('Authorization', bob.auth)
      .send({seq: 1})
      .expect(200);
    for (const stream of [aliceStream, carolStream]) {
      const frame = await stream.waitFor('read.updated');
      expect(frame.data).to.containDeep({
        conversationId: group.id,
        userId: bob.id,
        lastReadSeq: 1,
      });
      expect(frame.id).to.equal(String(frame.data.id));
    }
  });

  it('removes a stream from the hub when its client disconnects', async () => {
    const [alice] = await givenUsers(1);
    const hub = await testApp.app.get(ChatServiceBindings.EVENT_HUB);
    const stream = await testApp.stream(alice);
    await eventually(() => hub.streams.size === 1);
    stream.close();
    await eventually(() => hub.streams.size === 0, 'the streams closed');
  });
});

describe('GET /events: heartbeats (acceptance)', () => {
  const testApp = givenChatSuite({realtime: {heartbeatSeconds: 0.2}});

  it('sends comment lines on an idle stream', async () => {
    const [alice] = await givenUsers(1);
    const stream = await testApp.stream(alice);
    await eventually(() => stream.comments >= 1, 'a heartbeat');
    const first = stream.comments;
    await eventually(() => stream.comments >= first + 2, 'two more');
    expect(stream.frames).to.eql([]);
    expect(stream.ended).to.be.false();
  });
});
