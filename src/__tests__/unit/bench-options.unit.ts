import {expect} from '@loopback/testlab';
import {
  checkScenarioKeys,
  INSTANCE_SCENARIO_KEYS,
  readBenchOptions,
  selects,
} from '../../__benchmarks__/config';
import {measuresSizes, SCENARIOS} from '../../__benchmarks__/run';

// `npm run bench` is never run by the tests; this checks only how it reads
// BENCH_SCENARIOS, the selection the README tells the lead to use.
describe('the bench scenario selection (unit)', () => {
  it('runs every scenario when BENCH_SCENARIOS is unset or empty', () => {
    for (const env of [{}, {BENCH_SCENARIOS: ''}, {BENCH_SCENARIOS: ' , '}]) {
      const options = readBenchOptions(env);
      expect(options.scenarios).to.be.undefined();
      expect(selects(options, 'history')).to.be.true();
      expect(selects(options, 'busRedis')).to.be.true();
      expect(measuresSizes(options)).to.be.true();
    }
  });

  it('expands instances to the scenarios of several instances only', () => {
    const options = readBenchOptions({BENCH_SCENARIOS: 'instances'});
    expect(options.scenarios).to.eql(INSTANCE_SCENARIO_KEYS);
    expect(options.scenarios).to.containDeep([
      'busPostgres',
      'busRedis',
      'streamMemory',
    ]);
    expect(selects(options, 'history')).to.be.false();
    expect(selects(options, 'database')).to.be.false();
    // nothing per size: the bench seeds only the smallest data set
    expect(measuresSizes(options)).to.be.false();
  });

  it('measures sizes when a per-size scenario or the database is selected', () => {
    for (const BENCH_SCENARIOS of ['busPostgres,sseFanout', 'database']) {
      expect(measuresSizes(readBenchOptions({BENCH_SCENARIOS}))).to.be.true();
    }
  });

  it('refuses an unknown key, naming it and the known ones', () => {
    const known = SCENARIOS.map(s => s.key);
    const options = readBenchOptions({BENCH_SCENARIOS: 'history,bussRedis'});
    expect(() => checkScenarioKeys(options, known)).to.throw(
      /unknown bussRedis; known: history, .*instances\./,
    );
    expect(() =>
      checkScenarioKeys(readBenchOptions({BENCH_SCENARIOS: 'send'}), known),
    ).not.to.throw();
  });
});
