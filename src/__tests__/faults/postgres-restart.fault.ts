import {expect} from '@loopback/testlab';
import {
  AppProcess,
  collectResults,
  expectOutageAnswers,
  FaultFigures,
  faultPostgres,
  givenFaultDatabase,
  holdOutage,
  givenGroup,
  givenUsers,
  RECOVERY_BOUND_MS,
  seconds,
  SendLoad,
  ScenarioResults,
  timeUntilAnswering,
  WatchedStream,
} from './fixtures';

// PostgreSQL stopped (fast shutdown) and started again at the same address
// while 16 senders send into 4 group conversations through one app process
// (juggler, postgres bus) and 4 members hold SSE streams open.

const SENDERS = 16;
const CONVERSATIONS = 4;
/** Messages acknowledged before the restart, and again after recovery. */
const BEFORE = 64;
const AFTER = 64;

describe('fault: PostgreSQL restarted mid-load (16 senders, 4 streams)', function (this: Mocha.Suite) {
  this.timeout(120000);
  const figures = new FaultFigures('PostgreSQL restarted mid-load');
  let app: AppProcess | undefined;
  let streams: WatchedStream[] = [];
  let load: SendLoad;
  let results: ScenarioResults;
  let recoveryMs: number;

  before(async () => {
    const databaseUrl = await givenFaultDatabase('chat_fault_restart');
    app = new AppProcess({databaseUrl, orm: 'juggler', eventBus: 'postgres'});
    await app.start();
    const url = () => app!.url;
    const senders = await givenUsers(SENDERS);
    const watchers = await givenUsers(4);
    const perConversation = SENDERS / CONVERSATIONS;
    const conversations: string[] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      const [owner, ...others] = senders.slice(
        c * perConversation,
        (c + 1) * perConversation,
      );
      conversations.push(
        await givenGroup(url(), owner, [...others, ...watchers]),
      );
    }
    streams = await Promise.all(
      watchers.map((w, i) =>
        WatchedStream.open(`stream ${i + 1}`, url, w.authorization),
      ),
    );

    load = new SendLoad(figures);
    load.start(
      senders.map((user, i) => ({
        user,
        conversationId: conversations[Math.floor(i / perConversation)],
        baseUrl: url,
      })),
      'restart',
    );
    await load.waitForAcknowledged(BEFORE, 'before the restart');
    const pg = faultPostgres();
    const stoppedAt = Date.now();
    await pg.stop('fast');
    figures.set('GET /health while down', await app.healthStatus());
    await holdOutage(figures, SENDERS);
    await pg.start();
    const upAt = Date.now();
    figures.set('PostgreSQL down for', seconds(upAt - stoppedAt));
    recoveryMs = await timeUntilAnswering(url(), watchers[0]);
    figures.set(
      'app answering again',
      `${seconds(recoveryMs)} after PostgreSQL was back`,
    );
    await load.waitForAcknowledged(AFTER, 'after recovery', upAt + recoveryMs);
    results = await collectResults(figures, load, streams, {
      baseUrl: url(),
      user: watchers[0],
      conversationIds: conversations,
    });
  });

  after(async () => {
    figures.print([app]);
    load?.cancel();
    await Promise.all(streams.map(s => s.close()));
    await app?.stop();
  });

  it('stores every acknowledged message exactly once', () => {
    expect(load.givenUp).to.deepEqual([]);
    expect(results.history.lost).to.deepEqual([]);
    expect(results.history.duplicated).to.deepEqual([]);
    // the restart hit the senders: some tries failed and were retried
    expect(figures.retries).to.be.above(0);
  });

  it('keeps seq gapless in every conversation', () => {
    expect(results.history.gaps).to.deepEqual([]);
  });

  it(`answers again within ${RECOVERY_BOUND_MS / 1000} s of PostgreSQL being back`, () => {
    expect(recoveryMs).to.be.below(RECOVERY_BOUND_MS);
  });

  it('answers the outage with 503, a code and Retry-After, never a bare 500', () => {
    expectOutageAnswers(figures);
  });

  it('delivers every message.created once, in order, to each stream open through the restart', () => {
    for (const report of results.streams) {
      expect(report).to.containDeep({missing: 0, duplicates: 0, outOfOrder: 0});
    }
  });
});
