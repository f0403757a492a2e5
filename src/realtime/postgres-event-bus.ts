import {BindingScope, inject, injectable} from '@loopback/core';
import {juggler} from '@loopback/repository';
import type {Client, ClientConfig, Notification} from 'pg';
import {ChatServiceBindings} from '../keys';
import {consoleLogger} from '../providers/console-logger.provider';
import {ChatDb, SqlRunner} from '../repositories';
import {requireOptional} from '../require-optional';
import {
  ChatBusListener,
  ChatBusStatus,
  ChatEventBus,
  ChatLogger,
  EphemeralEvent,
  ResolvedChatServiceConfig,
} from '../types';
import {backoffDelay} from './backoff';
import {BusState} from './bus-state';

const EVENTS_CHANNEL = 'chat_events';
const EPHEMERAL_CHANNEL = 'chat_ephemeral';
/** `application_name` of the LISTEN connection, to find it in pg_stat_activity. */
export const BUS_APPLICATION_NAME = 'chat-service-bus';
const CONNECT_TIMEOUT_MS = 10000;

/** node-postgres, loaded when the bus first listens. */
type PgModule = typeof import('pg');

/**
 * LISTEN/NOTIFY across instances. Each writing transaction notifies
 * `chat_events` with its last event id (ids only) before it commits, so
 * PostgreSQL delivers the notice only if it commits. Each instance LISTENs
 * on a dedicated connection. When that connection is lost, the bus retries
 * with capped exponential backoff until it is closed, LISTENs again and has
 * its hub catch up from the log; it logs the loss once and the recovery
 * once, and `status()` tells the health check. Ephemeral events (typing,
 * presence) published while it is down are dropped.
 */
@injectable({scope: BindingScope.SINGLETON})
export class PostgresEventBus implements ChatEventBus {
  private client?: Client;
  private pg?: PgModule;
  private listener?: ChatBusListener;
  private closing = false;
  private connecting?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private readonly state: BusState;

  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.DATASOURCE, {optional: true})
    private dataSource?: juggler.DataSource,
    @inject(ChatServiceBindings.LOGGER, {optional: true})
    logger: ChatLogger = consoleLogger(),
  ) {
    this.state = new BusState(logger, 'The postgres event bus');
  }

  async inTransaction(tx: SqlRunner, lastId: number): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [
      EVENTS_CHANNEL,
      String(lastId),
    ]);
  }

  committed(): void {
    // the NOTIFY sent in the transaction reaches this instance too
  }

  /** Sends `event` to every instance; dropped while the bus is down. */
  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client
      .query('SELECT pg_notify($1, $2)', [
        EPHEMERAL_CHANNEL,
        JSON.stringify(event),
      ])
      .catch(() => undefined); // the connection's error event reconnects
  }

  async listen(listener: ChatBusListener): Promise<void> {
    if (this.db.dialect !== 'postgres') {
      throw new Error(
        "realtime.eventBus 'postgres' needs the component's database to be PostgreSQL.",
      );
    }
    this.pg ??= requireOptional<PgModule>('pg', "realtime.eventBus 'postgres'");
    this.listener = listener;
    this.closing = false;
    await this.attempt();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  status(): ChatBusStatus {
    return this.state.status();
  }

  /** Connects once; a failure is the caller's to retry. */
  private attempt(): Promise<void> {
    const connecting = this.connect().finally(() => {
      this.connecting = undefined;
    });
    this.connecting = connecting;
    return connecting;
  }

  private async connect(): Promise<void> {
    const client = new this.pg!.Client({
      ...this.connectionConfig(),
      // notice a dead peer, and give up on a connect that hangs
      keepAlive: true,
      keepAliveInitialDelayMillis: 10000,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    let broken: Error | undefined;
    const onLost = (err?: Error) => {
      broken ??= err ?? new Error('connection ended');
      this.lost(client, broken);
    };
    client.on('notification', n => this.onNotification(n));
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${EPHEMERAL_CHANNEL}`);
      // lost before it became this.client: lost() ignored it, so fail here
      if (broken) throw broken;
    } catch (err) {
      client.end().catch(() => undefined);
      this.state.lost(err);
      throw err;
    }
    if (this.closing) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.state.up();
    // whatever was committed while we were not listening
    this.listener?.eventsCommitted();
  }

  /** The LISTEN connection `client` failed or ended. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closing) return;
    this.state.lost(err);
    this.scheduleReconnect();
  }

  /** Tries again after a backoff delay, and again until connected or closed. */
  private scheduleReconnect(): void {
    if (this.closing || this.retry) return;
    this.state.attempt();
    const delay = backoffDelay(this.state.status().attempts);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.closing) return;
      this.attempt().catch(() => this.scheduleReconnect());
    }, delay);
    this.retry.unref();
  }

  private onNotification(n: Notification): void {
    if (n.channel === EVENTS_CHANNEL) {
      this.listener?.eventsCommitted(Number(n.payload));
    } else if (n.channel === EPHEMERAL_CHANNEL && n.payload) {
      this.listener?.ephemeral(JSON.parse(n.payload) as EphemeralEvent);
    }
  }

  private connectionConfig(): ClientConfig {
    // eslint-disable-next-line @typescript-eslint/naming-convention -- pg's option
    const name = {application_name: BUS_APPLICATION_NAME};
    if (this.config.realtime.postgresUrl) {
      return {connectionString: this.config.realtime.postgresUrl, ...name};
    }
    // juggler keeps its settings in `settings`, @loopback/sequelize in `config`
    const ds = this.dataSource as
      {settings?: object; config?: object} | undefined;
    const s = {...ds?.config, ...ds?.settings} as Record<string, unknown>;
    if (typeof s.url === 'string') return {connectionString: s.url, ...name};
    return {
      ...name,
      host: s.host as string,
      port: s.port === undefined ? undefined : Number(s.port),
      user: (s.user ?? s.username) as string,
      password: s.password as string,
      database: s.database as string,
    };
  }
}
