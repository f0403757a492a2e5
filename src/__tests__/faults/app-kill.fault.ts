import {expect} from '@loopback/testlab';
import {ChatClient, ChatEventStream} from '../../client';
import {eventually} from '../fixtures/waiting';
import {
  AppProcess,
  collectResults,
  FaultFigures,
  givenFaultDatabase,
  givenGroup,
  givenUsers,
  ScenarioResults,
  SdkSendLoad,
  seconds,
  WatchedStream,
} from './fixtures';

// One app process (Sequelize, postgres bus) killed with SIGKILL while 8
// senders (client SDK, retrying with the same clientMessageId) send into two
// group conversations and three members hold streams (two read raw, one
// through the SDK's event stream), then started again on the same port.

const SENDERS = 8;
/** Messages acknowledged before the kill, and again after the restart. */
const BEFORE = 32;
const AFTER = 32;

describe('fault: the app killed (SIGKILL) with streams open and sends in flight', function (this: Mocha.Suite) {
  this.timeout(120000);
  const figures = new FaultFigures('app killed and restarted');
  let app: AppProcess | undefined;
  let streams: WatchedStream[] = [];
  let sdkStream: ChatEventStream | undefined;
  const sdkReceived: string[] = [];
  let load: SdkSendLoad;
  let results: ScenarioResults;
  let inFlightAtKill: number;

  before(async () => {
    const databaseUrl = await givenFaultDatabase('chat_fault_kill');
    app = new AppProcess({databaseUrl, orm: 'sequelize', eventBus: 'postgres'});
    await app.start();
    const url = () => app!.url;
    const senders = await givenUsers(SENDERS);
    const watchers = await givenUsers(3);
    const half = SENDERS / 2;
    const conversations = [
      await givenGroup(url(), senders[0], [
        ...senders.slice(1, half),
        ...watchers,
      ]),
      await givenGroup(url(), senders[half], [
        ...senders.slice(half + 1),
        ...watchers,
      ]),
    ];
    streams = await Promise.all(
      watchers
        .slice(0, 2)
        .map((w, i) =>
          WatchedStream.open(`stream ${i + 1}`, url, w.authorization),
        ),
    );
    sdkStream = new ChatClient({
      baseUrl: url(),
      token: watchers[2].authorization.replace(/^Bearer /, ''),
    }).events({
      lastEventId: 0,
      reconnectDelayMs: 100,
      maxReconnectDelayMs: 400,
    });
    sdkStream.on('message.created', e => sdkReceived.push(e.message.id));
    await sdkStream.opened();

    // about 40 s of tries per message: longer than the app may take to
    // start again (AppProcess waits 30 s for it)
    load = new SdkSendLoad(figures, {maxAttempts: 160, retryPauseMs: 50});
    load.start(
      senders.map((user, i) => ({
        user,
        conversationId: conversations[Math.floor(i / half)],
        baseUrl: url,
      })),
      'kill',
    );
    await eventually(
      () =>
        load.acknowledged.length >= BEFORE &&
        load.recording.sendsInFlight >= SENDERS / 2,
      `${BEFORE} messages acknowledged, and sends in flight`,
      30000,
    );
    inFlightAtKill = load.recording.sendsInFlight;
    const killedAt = Date.now();
    await app.kill('SIGKILL');
    figures.set('sends in flight when killed', inFlightAtKill);
    await app.start();
    const upAt = Date.now();
    figures.set(
      'app answering again',
      `${seconds(upAt - killedAt)} after the kill (process start included)`,
    );
    await load.waitForAcknowledged(AFTER, 'after the restart', upAt);
    results = await collectResults(figures, load, streams, {
      baseUrl: url(),
      user: watchers[0],
      conversationIds: conversations,
    });
    const stored = [...results.history.histories.values()].flat();
    await eventually(
      () => stored.every(m => sdkReceived.includes(m.id)),
      'the SDK stream receiving every stored message',
      10000,
    ).catch(() => undefined);
    const missing = stored.filter(m => !sdkReceived.includes(m.id)).length;
    figures.set(
      'SDK stream',
      `missing ${missing}, duplicated ${sdkReceived.length - new Set(sdkReceived).size}, ` +
        `${sdkStream.connections} connections`,
    );
  });

  after(async () => {
    figures.print([app]);
    load?.cancel();
    sdkStream?.close();
    await Promise.all(streams.map(s => s.close()));
    await app?.stop();
  });

  it('stores every acknowledged message exactly once, seq gapless', () => {
    expect(inFlightAtKill).to.be.above(0);
    expect(load.givenUp).to.deepEqual([]);
    expect(results.history.lost).to.deepEqual([]);
    expect(results.history.duplicated).to.deepEqual([]);
    expect(results.history.gaps).to.deepEqual([]);
  });

  it('lets streams that resume with Last-Event-ID miss nothing and repeat nothing', () => {
    for (const report of results.streams) {
      // the server died: every stream had to resume
      expect(report.resumes).to.be.above(0);
      expect(report).to.containDeep({missing: 0, duplicates: 0, outOfOrder: 0});
    }
  });

  it("lets the client SDK's event stream reconnect by itself and miss nothing", () => {
    const stored = [...results.history.histories.values()].flat();
    expect(stored.filter(m => !sdkReceived.includes(m.id))).to.deepEqual([]);
    expect(sdkReceived.length).to.equal(new Set(sdkReceived).size);
    expect(sdkStream!.connections).to.be.above(1);
  });
});
