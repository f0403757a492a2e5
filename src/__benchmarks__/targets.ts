import type {SizeReport} from './report';

/** One target of the issue, evaluated on this run's figures. */
export interface Target {
  name: string;
  value: string;
  limit: string;
  met: boolean;
}

const RATIO_OPERATIONS = ['send', 'history'];
const P99_LIMITS: Record<string, number> = {
  history: 25,
  historyDeep: 25,
  conversations: 40,
};
const GROWTH_LIMIT = 1.3;
/** Reference routes, not operations: no target applies to them. */
const REFERENCES = new Set(['pageFloor']);

/**
 * The targets, judged at the largest size (the one million
 * messages) and, for growth, against the smallest: throughput as a ratio
 * to the framework ceiling measured just before, p99 limits, and p50 and
 * p99 at the largest size within 1.3 times those at the smallest (measured
 * back to back).
 */
export function evaluateTargets(sizes: SizeReport[]): Target[] {
  if (sizes.length === 0) return [];
  const large = sizes.reduce((a, b) => (b.messages > a.messages ? b : a));
  const small = sizes.reduce((a, b) => (b.messages < a.messages ? b : a));
  const targets: Target[] = [];
  for (const key of RATIO_OPERATIONS) {
    const s = large.scenarios[key];
    const fw = s?.frameworkRps;
    if (!s || !fw) continue;
    targets.push({
      name: `${s.label} req/s vs framework ceiling`,
      value: `${(s.rps / fw).toFixed(2)} (${s.rps} / ${fw} req/s)`,
      limit: '>= 0.50',
      met: s.rps >= 0.5 * fw,
    });
  }
  for (const [key, limit] of Object.entries(P99_LIMITS)) {
    const s = large.scenarios[key];
    if (!s) continue;
    targets.push({
      name: `${s.label} p99`,
      value: `${s.p99.toFixed(2)} ms`,
      limit: `< ${limit} ms`,
      met: s.p99 < limit,
    });
  }
  if (small !== large) {
    for (const [key, s] of Object.entries(large.scenarios)) {
      const base = small.scenarios[key];
      if (!base || REFERENCES.has(key)) continue;
      for (const q of ['p50', 'p99'] as const) {
        const ratio = s[q] / base[q];
        targets.push({
          name: `${s.label} ${q} at ${large.messages} vs ${small.messages} messages`,
          value: `${ratio.toFixed(2)}x (${s[q].toFixed(2)} / ${base[q].toFixed(2)} ms)`,
          limit: `<= ${GROWTH_LIMIT}x`,
          met: ratio <= GROWTH_LIMIT,
        });
      }
    }
  }
  if (large.explain.length === 0) return targets;
  const seqScans = large.explain.filter(e => e.seqScans.length > 0);
  targets.push({
    name: `hot queries index-served at ${large.messages} messages (EXPLAIN)`,
    value: `${large.explain.length - seqScans.length}/${large.explain.length} statements without a Seq Scan on chat tables`,
    limit: 'all',
    met: seqScans.length === 0,
  });
  return targets;
}
