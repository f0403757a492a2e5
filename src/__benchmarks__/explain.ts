import {Pool, PoolClient} from 'pg';
import {ChatDb, Row, SqlRunner} from '../repositories';
import {Fixtures, Pair} from './fixtures';
import {ExplainOutput, planNodes, planTimes, renderPlan} from './plan';
import {componentServices} from './pg-chat-db';

/** The plan of one statement of a hot operation. */
export interface ExplainedStatement {
  operations: string[];
  sql: string;
  /** Node types with index and relation, outermost first. */
  nodes: string[];
  /**
   * Sequential scans of the component's big tables, in the plan for the
   * recorded values or in the generic plan (should be none).
   */
  seqScans: string[];
  executionMs: number;
  plan: string;
}

interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Runs on one connection inside a transaction that the caller rolls back
 * (the services' own transactions become savepoints), recording every
 * statement: the operation leaves no trace, and can be replayed.
 */
class RecordingChatDb implements ChatDb {
  readonly dialect = 'postgres' as const;
  readonly statements: Statement[] = [];

  constructor(private client: PoolClient) {}

  async query<T extends object = Row>(sql: string, params: unknown[] = []) {
    this.statements.push({sql, params});
    return (await this.client.query(sql, params)).rows as T[];
  }

  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    await this.client.query('SAVEPOINT bench_op');
    try {
      const result = await work(this);
      await this.client.query('RELEASE SAVEPOINT bench_op');
      return result;
    } catch (err) {
      await this.client.query('ROLLBACK TO SAVEPOINT bench_op');
      throw err;
    }
  }
}

type Services = Awaited<ReturnType<typeof componentServices>>;

/**
 * Runs each hot operation once through the component's own services (the
 * access check included, as the interceptor runs it), recording its
 * statements, then replays them as EXPLAIN (ANALYZE, BUFFERS) in the same
 * order, in a transaction that is rolled back, and explains each one's
 * generic plan (what a prepared statement may switch to).
 */
export async function explainHotQueries(
  pool: Pool,
  databaseUrl: string,
  f: Fixtures,
): Promise<ExplainedStatement[]> {
  const staff = {id: f.staffUsers[0], tenantId: ''};
  const [hist, deep, read, send] = [
    f.historyPairs[0],
    f.deepPairs[0],
    f.readPairs[0],
    f.sendPairs[0],
  ];
  const operations: [string, (s: Services) => Promise<unknown>][] = [
    [
      'history newest',
      async s => s.messages.list(await access(s, hist), {limit: 50}),
    ],
    [
      'history deep',
      async s =>
        s.messages.list(await access(s, deep), {
          limit: 50,
          before: deep.before,
        }),
    ],
    ['conversation list', s => s.conversations.list(staff, {limit: 20})],
    ['unread', s => s.readState.unread(staff)],
    [
      'mark read',
      async s =>
        s.readState.markRead(await access(s, read), read.lastReadSeq + 1),
    ],
    [
      'send',
      async s =>
        s.messages.send(await access(s, send), {
          body: 'explain',
          clientMessageId: 'explain-1',
        }),
    ],
  ];
  const bySql = new Map<string, ExplainedStatement>();
  for (const [operation, run] of operations) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const db = new RecordingChatDb(client);
      const services = await componentServices(databaseUrl, db);
      try {
        await run(services);
      } finally {
        await services.close();
      }
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      for (const {sql, params} of db.statements) {
        const key = sql.replace(/\s+/g, ' ').trim();
        const known = bySql.get(key);
        const explained = await explainOne(client, key, sql, params);
        if (known) {
          if (!known.operations.includes(operation))
            known.operations.push(operation);
        } else {
          bySql.set(key, {operations: [operation], ...explained});
        }
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
  return [...bySql.values()];
}

function access(s: Services, pair: Pair) {
  return s.access.require({id: pair.userId, tenantId: ''}, pair.conversationId);
}

const BIG_TABLES = [
  'chat_messages',
  'chat_members',
  'chat_conversations',
  'chat_events',
];

async function explainOne(
  client: PoolClient,
  key: string,
  sql: string,
  params: unknown[],
) {
  const {rows} = await client.query(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const output = rows[0]['QUERY PLAN'][0] as ExplainOutput;
  const nodes = planNodes(output.Plan);
  // a prepared statement may switch to the generic plan after five runs:
  // that plan must be index-served too
  const generic = await client.query(
    `EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${sql}`,
  );
  const genericOutput = generic.rows[0]['QUERY PLAN'][0] as ExplainOutput;
  const genericNodes = planNodes(genericOutput.Plan);
  return {
    sql: key,
    nodes,
    seqScans: [
      ...seqScansOf(nodes),
      ...seqScansOf(genericNodes).map(n => `${n} (generic plan)`),
    ],
    executionMs: Math.round(planTimes(output).executionMs * 1000) / 1000,
    plan: renderPlan(output),
  };
}

function seqScansOf(nodes: string[]): string[] {
  return nodes.filter(
    n =>
      n.startsWith('Seq Scan') && BIG_TABLES.some(t => n.endsWith(` on ${t}`)),
  );
}
