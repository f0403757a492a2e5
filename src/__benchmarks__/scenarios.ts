import {BenchOptions} from './config';
import {StatementStats} from './db-stats';
import {Fixtures, tokenOf} from './fixtures';
import {LoadRequest, LoadResult} from './load';
import {PAGE_FLOOR_PATH} from './page-floor.controller';
import {ServerProcess} from './processes';

/** What a scenario runs against. */
export interface ScenarioContext {
  options: BenchOptions;
  fixtures: Fixtures;
  app: ServerProcess;
  /** Prefix that keeps client message ids unique across runs. */
  runId: string;
  log: (line: string) => void;
}

/** A measured result; `extra` holds scenario-specific figures. */
export interface ScenarioResult extends LoadResult {
  extra?: Record<string, unknown>;
  /** The statements that took the most database time (pg_stat_statements). */
  statements?: StatementStats[];
  /** SQL statements per request (BEGIN and COMMIT included). */
  statementsPerRequest?: number;
  /** Database time (execution + planning) per request, ms. */
  databaseMsPerRequest?: number;
}

/**
 * One operation to measure: either a stream of HTTP requests that autocannon
 * drives, or a `run` of its own (SSE fan-out). A `run` answers undefined
 * when the scenario does not apply (the feature is missing).
 */
export interface Scenario {
  key: string;
  label: string;
  /** It changes data (not used to warm the servers up). */
  writes?: boolean;
  requests?: (ctx: ScenarioContext) => () => LoadRequest;
  run?: (ctx: ScenarioContext) => Promise<ScenarioResult | undefined>;
}

/** Cycles through `items`, building a request from each and its counter. */
function rotate<T>(
  items: T[],
  build: (item: T, n: number) => LoadRequest,
): () => LoadRequest {
  if (items.length === 0)
    throw new Error('A scenario has nothing to rotate over');
  let n = 0;
  return () => {
    const i = n++;
    return build(items[i % items.length], i);
  };
}

const messagesPath = (id: string) => `/conversations/${id}/messages`;

function send(ctx: ScenarioContext, pairs: Fixtures['sendPairs'], tag: string) {
  return rotate(pairs, (p, n) => ({
    method: 'POST',
    path: messagesPath(p.conversationId),
    token: tokenOf(ctx.fixtures, p.userId),
    body: {
      body: `Bench message ${n}: hello from the load generator.`,
      clientMessageId: `${ctx.runId}-${tag}-${n}`,
    },
  }));
}

/** The operations measured at every size, reads before writes. */
export const HTTP_SCENARIOS: Scenario[] = [
  {
    key: 'history',
    label: 'history, newest 50',
    requests: ctx =>
      rotate(ctx.fixtures.historyPairs, p => ({
        method: 'GET',
        path: `${messagesPath(p.conversationId)}?limit=50`,
        token: tokenOf(ctx.fixtures, p.userId),
      })),
  },
  {
    key: 'pageFloor',
    label: 'floor: token + constant page, no SQL',
    requests: ctx =>
      rotate(ctx.fixtures.historyPairs, p => ({
        method: 'GET',
        path: PAGE_FLOOR_PATH,
        token: tokenOf(ctx.fixtures, p.userId),
      })),
  },
  {
    key: 'historyDeep',
    label: 'history, deep page (50)',
    requests: ctx =>
      rotate(ctx.fixtures.deepPairs, p => ({
        method: 'GET',
        path: `${messagesPath(p.conversationId)}?before=${p.before}&limit=50`,
        token: tokenOf(ctx.fixtures, p.userId),
      })),
  },
  {
    key: 'conversations',
    label: 'conversation list (20)',
    requests: ctx =>
      rotate(ctx.fixtures.staffUsers, user => ({
        method: 'GET',
        path: '/conversations?limit=20',
        token: tokenOf(ctx.fixtures, user),
      })),
  },
  {
    key: 'unread',
    label: 'GET /unread',
    requests: ctx =>
      rotate(ctx.fixtures.staffUsers, user => ({
        method: 'GET',
        path: '/unread',
        token: tokenOf(ctx.fixtures, user),
      })),
  },
  {
    key: 'markRead',
    writes: true,
    label: 'mark read',
    requests: ctx => {
      // every request moves a position one message further
      const visits = new Map<number, number>();
      return rotate(
        ctx.fixtures.readPairs.map((p, i) => ({...p, i})),
        p => {
          const v = (visits.get(p.i) ?? 0) + 1;
          visits.set(p.i, v);
          return {
            method: 'POST',
            path: `/conversations/${p.conversationId}/read`,
            token: tokenOf(ctx.fixtures, p.userId),
            body: {seq: p.lastReadSeq + v},
          };
        },
      );
    },
  },
  {
    key: 'send',
    writes: true,
    label: 'send (2,000 conversations)',
    requests: ctx => send(ctx, ctx.fixtures.sendPairs, 'send'),
  },
  {
    key: 'sendHot',
    writes: true,
    label: 'send, one hot conversation',
    requests: ctx => send(ctx, ctx.fixtures.hotPairs, 'hot'),
  },
];
