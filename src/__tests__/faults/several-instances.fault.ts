import {expect} from '@loopback/testlab';
import {randomBytes} from 'crypto';
import {ChatClient, ChatEventStream, Message} from '../../client';
import {SseClient} from '../fixtures/sse-client';
import {eventually} from '../fixtures/waiting';
import {
  AppProcess,
  collectResults,
  downloadThrough,
  expectStatus,
  FaultFigures,
  FaultUser,
  givenGroup,
  givenUsers,
  INSTANCE_CONFIGURATIONS,
  InstancePair,
  recordArrivals,
  ScenarioResults,
  seconds,
  SendLoad,
  syncAll,
  uploadThrough,
  WatchedStream,
  writeEventMix,
} from './fixtures';

// Issue #14: two instances of the demo host app (A on the juggler
// repositories, B on Sequelize) on one database, each in a working
// directory of its own, as two machines behind a load balancer without
// sticky sessions: (PostgreSQL, postgres bus, S3) and (MariaDB, redis bus,
// S3). The tests share the pair; the last one stops A with SIGTERM.

/** Messages of the event mix written through A. */
const MIX_MESSAGES = 45;
/**
 * Longest a message written through A may take to reach a stream on B
 * after its answer: live delivery through the bus takes milliseconds. It
 * is well below `realtime.catchUpSeconds` (5 s), so an instance that only
 * finds other instances' events in its periodic look at the log fails.
 */
const CROSS_INSTANCE_BOUND_MS = 1500;
/** Messages acknowledged before SIGTERM, and again after A exited. */
const BEFORE_STOP = 16;
const AFTER_STOP = 16;

for (const config of INSTANCE_CONFIGURATIONS) {
  describe(`instances: two app processes, each in its own directory (${config.title})`, function (this: Mocha.Suite) {
    this.timeout(120000);
    let pair: InstancePair | undefined;
    const opened: SseClient[] = [];

    before(async () => {
      pair = await InstancePair.start(config);
    });

    after(async () => {
      for (const stream of opened) stream.close();
      await pair?.stop();
    });

    /** Opens `GET /events` on `app` as `user` (after `lastEventId`, if given). */
    async function streamOn(
      app: AppProcess,
      user: FaultUser,
      lastEventId?: string,
    ): Promise<SseClient> {
      const headers: Record<string, string> = {
        authorization: user.authorization,
      };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const stream = await SseClient.connect(`${app.url}/events`, headers);
      opened.push(stream);
      expect(stream.status).to.equal(200);
      return stream;
    }

    it('serves through B an upload made through A, whole and ranged, and audits both downloads', async () => {
      const {a, b, s3} = pair!;
      const [alice, bob] = await givenUsers(2);
      const conversation = await givenGroup(a.url, alice, [bob]);
      const objectsBefore = s3?.objectKeys().length ?? 0;
      // over lib-storage's 5 MiB part size: a multipart upload
      const bytes = randomBytes(6 * 1024 * 1024 + 321);

      const uploaded = await uploadThrough(a.url, alice, conversation, bytes);
      const whole = await downloadThrough(b.url, bob, uploaded.id);
      expect(whole.status).to.equal(200);
      expect(whole.bytes.equals(bytes)).to.be.true();
      const part = await downloadThrough(
        b.url,
        bob,
        uploaded.id,
        'bytes=1000-1999',
      );
      expect(part.status).to.equal(206);
      expect(part.bytes.equals(bytes.subarray(1000, 2000))).to.be.true();

      for (const app of [b, a]) {
        const audit = await expectStatus(
          200,
          app.url,
          'GET',
          `/attachments/${uploaded.id}/downloads`,
          alice,
        );
        expect(audit.body.items).to.containDeep([
          {userId: bob.id, bytes: 1000, range: 'bytes=1000-1999'},
          {userId: bob.id, bytes: bytes.length, range: null},
        ]);
      }
      if (config.storage === 's3') {
        expect(s3!.objectKeys().length).to.equal(objectsBefore + 1);
        expect(pair!.filesOnDisk()).to.deepEqual([]);
      }
    });

    it('delivers to a stream on B every event written through A, once and in order', async () => {
      const {a, b} = pair!;
      const [alice, bob, carol] = await givenUsers(3);
      const conversation = await givenGroup(a.url, alice, [bob]);
      const {cursor} = await syncAll(a.url, bob);
      const stream = await streamOn(b, bob, cursor);
      const arrivals = recordArrivals(stream);

      const acknowledged = await writeEventMix(
        a.url,
        conversation,
        {owner: alice, member: bob, guest: carol},
        MIX_MESSAGES,
      );
      // a last message: once it arrived, anything repeated before it has too
      const marker = await expectStatus(
        201,
        a.url,
        'POST',
        `/conversations/${conversation}/messages`,
        alice,
        {body: 'marker'},
      );
      await stream.waitFor(
        'message.created',
        f => (f.data.message as Message).id === marker.body.id,
        20000,
      );

      const {items} = await syncAll(a.url, bob, cursor);
      expect(items.length).to.be.above(MIX_MESSAGES + 8);
      expect(new Set(items.map(e => e.type))).to.deepEqual(
        new Set([
          'member.added',
          'member.updated',
          'message.created',
          'message.updated',
          'message.deleted',
          'conversation.updated',
          'member.removed',
          'read.updated',
        ]),
      );
      expect(stream.events.map(f => [f.id, f.event])).to.deepEqual(
        items.map(e => [String(e.id), e.type]),
      );
      // from each message's 201 on A to its frame on B
      const delays = stream.frames.flatMap((f, i) => {
        const id = (f.data.message as Message | undefined)?.id;
        const sentAt = f.event === 'message.created' && acknowledged.get(id!);
        return sentAt ? [{id, ms: arrivals[i] - sentAt}] : [];
      });
      expect(delays.length).to.equal(acknowledged.size);
      const sorted = delays.map(d => d.ms).sort((x, y) => x - y);
      console.log(
        `      A to B, ${config.eventBus} bus: ${sorted.length} messages, ` +
          `median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms`,
      );
      const late = delays.filter(d => d.ms > CROSS_INSTANCE_BOUND_MS);
      expect(late).to.deepEqual([]);
    });

    it('carries typing and presence from A to streams on B', async () => {
      const {a, b} = pair!;
      const [alice, bob, carol, dave] = await givenUsers(4);
      const conversation = await givenGroup(a.url, alice, [bob]);
      const contacts = await givenGroup(a.url, carol, [dave]);
      const bobOnB = await streamOn(b, bob);
      const daveOnB = await streamOn(b, dave);

      await expectStatus(
        204,
        a.url,
        'POST',
        `/conversations/${conversation}/typing`,
        alice,
        {typing: true},
      );
      await bobOnB.waitFor(
        'typing',
        f =>
          f.data.userId === alice.id &&
          f.data.conversationId === conversation &&
          f.data.typing === true,
      );

      // carol's first stream, on A: online for her contact dave on B
      const carolOnA = await streamOn(a, carol);
      await daveOnB.waitFor(
        'presence',
        f => f.data.userId === carol.id && f.data.online === true,
      );
      const members = await expectStatus(
        200,
        b.url,
        'GET',
        `/conversations/${contacts}/members`,
        dave,
      );
      expect(members.body.items).to.containDeep([
        {userId: carol.id, online: true},
      ]);
      carolOnA.close();
      await daveOnB.waitFor(
        'presence',
        f => f.data.userId === carol.id && f.data.online === false,
      );
    });

    describe('A stopped with SIGTERM while messages go through B', () => {
      const figures = new FaultFigures(`A stopped (SIGTERM), ${config.title}`);
      let streams: WatchedStream[] = [];
      let sdkStream: ChatEventStream | undefined;
      const sdkReceived: Message[] = [];
      let load: SendLoad | undefined;
      let results: ScenarioResults;
      let stopMs: number;

      before(async () => {
        const {a, b} = pair!;
        const senders = await givenUsers(4);
        const [w1, w2] = await givenUsers(2);
        const conversation = await givenGroup(b.url, senders[0], [
          ...senders.slice(1),
          w1,
          w2,
        ]);
        const balanced = () => pair!.route().url;
        streams = await Promise.all([
          WatchedStream.open(
            'w1 via the balancer (A)',
            balanced,
            w1.authorization,
          ),
          WatchedStream.open('w1 on B', () => b.url, w1.authorization),
          WatchedStream.open('w2 on B', () => b.url, w2.authorization),
        ]);
        // the SDK on A behind the balancer; it reconnects after the
        // server's retry: hint
        sdkStream = new ChatClient({
          baseUrl: a.url,
          token: w2.authorization.replace(/^Bearer /, ''),
          fetch: pair!.balancedFetch,
        }).events({lastEventId: 0});
        sdkStream.on('message.created', e => sdkReceived.push(e.message));
        await sdkStream.opened();

        load = new SendLoad(figures);
        load.start(
          senders.map((user, i) => ({
            user,
            conversationId: conversation,
            baseUrl: i < 2 ? () => b.url : balanced,
            via: i < 2 ? 'B' : 'balancer',
          })),
          'term',
        );
        await load.waitForAcknowledged(BEFORE_STOP, 'before SIGTERM');
        pair!.takeOutOfRotation(a);
        const stoppedAt = Date.now();
        await a.stop();
        stopMs = Date.now() - stoppedAt;
        figures.set(
          'A stopped',
          `${seconds(stopMs)}, exit ${JSON.stringify(a.exit)}`,
        );
        await load.waitForAcknowledged(
          AFTER_STOP,
          'after A exited',
          Date.now(),
        );
        results = await collectResults(figures, load, streams, {
          baseUrl: b.url,
          user: w1,
          conversationIds: [conversation],
        });
        const stored = [...results.history.histories.values()].flat();
        await eventually(
          () => stored.every(m => sdkReceived.some(r => r.id === m.id)),
          'the SDK stream receiving every stored message',
          15000,
        ).catch(() => undefined);
        figures.set('SDK stream', `${sdkStream.connections} connections`);
      });

      after(async () => {
        figures.print([pair?.a, pair?.b]);
        load?.cancel();
        sdkStream?.close();
        await Promise.all(streams.map(s => s.close()));
      });

      it('lets A exit by itself with code 0', () => {
        expect(pair!.a.exit).to.deepEqual({code: 0, signal: null});
      });

      it('stores every acknowledged message exactly once, seq gapless', () => {
        expect(load!.givenUp).to.deepEqual([]);
        expect(results.history.lost).to.deepEqual([]);
        expect(results.history.duplicated).to.deepEqual([]);
        expect(results.history.gaps).to.deepEqual([]);
      });

      it('gives every stream every message once, in order: those on A resume on B with Last-Event-ID', () => {
        for (const report of results.streams) {
          expect(report).to.containDeep({
            missing: 0,
            duplicates: 0,
            outOfOrder: 0,
          });
          expect(report.resumes).to.equal(report.label.includes('(A)') ? 1 : 0);
        }
      });

      it("lets the client SDK's stream move to B by itself and miss nothing", () => {
        const stored = [...results.history.histories.values()].flat();
        expect(sdkReceived.map(m => m.seq)).to.deepEqual(
          stored.map(m => m.seq),
        );
        expect(sdkStream!.connections).to.equal(2);
      });
    });
  });
}
