import {expect} from '@loopback/testlab';
import {eventually} from '../fixtures/waiting';
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
  LIVE_BOUND_MS,
  RECOVERY_BOUND_MS,
  ScenarioResults,
  seconds,
  SendLoad,
  timeUntilAnswering,
  WatchedStream,
} from './fixtures';

// Two app processes on one database, both with the postgres bus (A on the
// juggler repositories, B on Sequelize). Four members send into one group
// conversation, two through each app, while alice and bob each hold a
// stream on A and one on B. PostgreSQL stops at once (immediate shutdown:
// crash recovery on the next start) and starts again at the same address.

/** Messages acknowledged before the restart, and again after recovery. */
const BEFORE = 16;
const AFTER = 32;

describe('fault: two app instances on the postgres bus, PostgreSQL restarted', function (this: Mocha.Suite) {
  this.timeout(120000);
  const figures = new FaultFigures('two instances, PostgreSQL restarted');
  const apps: Record<'A' | 'B', AppProcess | undefined> = {
    A: undefined,
    B: undefined,
  };
  let streams: WatchedStream[] = [];
  let onApp: Record<string, 'A' | 'B'> = {};
  let load: SendLoad;
  let results: ScenarioResults;
  let recoveryMs: number;
  let upAt: number;

  before(async () => {
    const databaseUrl = await givenFaultDatabase('chat_fault_two');
    const a = (apps.A = new AppProcess({
      databaseUrl,
      orm: 'juggler',
      name: 'A',
    }));
    const b = (apps.B = new AppProcess({
      databaseUrl,
      orm: 'sequelize',
      name: 'B',
    }));
    await Promise.all([a.start(), b.start()]);
    const [alice, bob, carol, dave] = await givenUsers(4);
    const conversation = await givenGroup(a.url, alice, [bob, carol, dave]);
    const opened = [
      ['alice on A', alice, 'A'],
      ['alice on B', alice, 'B'],
      ['bob on A', bob, 'A'],
      ['bob on B', bob, 'B'],
    ] as const;
    streams = await Promise.all(
      opened.map(([label, user, app]) =>
        WatchedStream.open(label, () => apps[app]!.url, user.authorization),
      ),
    );
    onApp = Object.fromEntries(opened.map(([label, , app]) => [label, app]));

    load = new SendLoad(figures);
    load.start(
      [
        [alice, 'A'],
        [bob, 'B'],
        [carol, 'A'],
        [dave, 'B'],
      ].map(([user, via]) => ({
        user: user as typeof alice,
        conversationId: conversation,
        baseUrl: () => apps[via as 'A' | 'B']!.url,
        via: via as string,
      })),
      'two',
    );
    await load.waitForAcknowledged(BEFORE, 'before the restart');
    const pg = faultPostgres();
    const stoppedAt = Date.now();
    await pg.stop('immediate');
    figures.set(
      'GET /health while down',
      `A: ${await a.healthStatus()}; B: ${await b.healthStatus()}`,
    );
    await holdOutage(figures, 4);
    await pg.start();
    upAt = Date.now();
    figures.set('PostgreSQL down for', seconds(upAt - stoppedAt));
    const recovery = await Promise.all(
      [a, b].map(app => timeUntilAnswering(app.url, alice)),
    );
    recoveryMs = Math.max(...recovery);
    figures.set(
      'apps answering again',
      `A ${seconds(recovery[0])}, B ${seconds(recovery[1])} after PostgreSQL was back`,
    );
    await load.waitForAcknowledged(AFTER, 'after recovery', upAt + recoveryMs);
    results = await collectResults(figures, load, streams, {
      baseUrl: a.url,
      user: alice,
      conversationIds: [conversation],
    });
  });

  after(async () => {
    figures.print([apps.A, apps.B]);
    load?.cancel();
    await Promise.all(streams.map(s => s.close()));
    await Promise.all([apps.A?.stop(), apps.B?.stop()]);
  });

  it('stores every acknowledged message exactly once, seq gapless', () => {
    expect(load.givenUp).to.deepEqual([]);
    expect(results.history.lost).to.deepEqual([]);
    expect(results.history.duplicated).to.deepEqual([]);
    expect(results.history.gaps).to.deepEqual([]);
    expect(figures.retries).to.be.above(0);
  });

  it(`has both apps answering within ${RECOVERY_BOUND_MS / 1000} s of PostgreSQL being back`, () => {
    expect(recoveryMs).to.be.below(RECOVERY_BOUND_MS);
  });

  it('has both apps report their postgres bus up again (GET /health 200)', async () => {
    // the periodic catch-up alone would deliver too, a bus never healed
    // would not show: the health check says whether the LISTEN is back
    await eventually(
      async () => (await apps.A!.healthy()) && (await apps.B!.healthy()),
      'both apps healthy, event bus included',
      RECOVERY_BOUND_MS,
    );
    figures.set(
      'GET /health after',
      `A: ${await apps.A!.healthStatus()}; B: ${await apps.B!.healthStatus()}`,
    );
  });

  it('answers the outage with 503, a code and Retry-After, never a bare 500', () => {
    expectOutageAnswers(figures);
  });

  it('delivers to a stream on each app what was sent through the other after the restart', () => {
    const problems = streams.flatMap(stream => {
      const other = onApp[stream.label] === 'A' ? 'B' : 'A';
      const received = new Set(stream.createdMessageIds());
      const missing = load.acknowledged.filter(
        m => m.via === other && m.at > upAt && !received.has(m.id),
      );
      return missing.length
        ? [`${stream.label}: ${missing.length} sent through ${other} missing`]
        : [];
    });
    expect(problems).to.deepEqual([]);
  });

  it(`delivers every message once, in order, to every stream, live (within ${LIVE_BOUND_MS / 1000} s of the last send)`, () => {
    for (const report of results.streams) {
      expect(report).to.containDeep({missing: 0, duplicates: 0, outOfOrder: 0});
    }
    expect(results.deliveredMs).to.be.below(LIVE_BOUND_MS);
  });
});
