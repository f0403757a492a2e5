import {DATA_SET} from './config';

/**
 * Popularity rank of conversation `idx` (0 = hottest): a fixed permutation,
 * so hot conversations are a mix of large groups and direct ones.
 */
export function conversationRank(idx: number): number {
  return (idx * 7919) % DATA_SET.conversations;
}

/**
 * Messages per conversation (index = conversation idx), summing exactly to
 * `total`: Zipf-distributed by rank (weight 1/(rank+1)), so a few
 * conversations are hot and most are quiet. At one million messages the
 * hottest has about 100,000, the median about 20; at 10,000 messages most
 * conversations have none or one.
 */
export function messageCounts(total: number): number[] {
  const n = DATA_SET.conversations;
  const weights = Array.from({length: n}, (_, idx) => {
    return 1 / (conversationRank(idx) + 1);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map(w => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  // largest remainders first, so the sum is exact
  const order = exact
    .map((x, idx) => ({idx, rest: x - Math.floor(x)}))
    .sort((a, b) => b.rest - a.rest || a.idx - b.idx);
  for (const {idx} of order) {
    if (left-- <= 0) break;
    counts[idx]++;
  }
  return counts;
}
