import {LoadResult, round} from './load';

/** Where the bench prints its progress. */
export type Log = (line: string) => void;

/** One line of progress for a measured run. */
export function logResult(log: Log, label: string, r: LoadResult) {
  log(
    `  ${label}: ${r.rps} req/s, p50 ${round(r.p50)} ms, p99 ${round(r.p99)} ms` +
      (r.failed ? `, ${r.failed} FAILED ${JSON.stringify(r.statusCodes)}` : ''),
  );
}
