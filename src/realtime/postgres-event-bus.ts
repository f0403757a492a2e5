import {BindingScope, inject, injectable} from '@loopback/core';
import {juggler} from '@loopback/repository';
import {Client, ClientConfig, Notification} from 'pg';
import {ChatServiceBindings} from '../keys';
import {ChatDb, SqlRunner} from '../repositories';
import {
  ChatBusListener,
  ChatEventBus,
  EphemeralEvent,
  ResolvedChatServiceConfig,
} from '../types';

const EVENTS_CHANNEL = 'chat_events';
const EPHEMERAL_CHANNEL = 'chat_ephemeral';
/** `application_name` of the LISTEN connection, to find it in pg_stat_activity. */
export const BUS_APPLICATION_NAME = 'chat-service-bus';
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];

/**
 * LISTEN/NOTIFY across instances. Each writing transaction notifies
 * `chat_events` with its last event id (ids only) before it commits, so
 * PostgreSQL delivers the notice only if it commits. Each instance LISTENs
 * on a dedicated connection; when that connection is lost it reconnects,
 * LISTENs again and has its hub catch up from the log.
 */
@injectable({scope: BindingScope.SINGLETON})
export class PostgresEventBus implements ChatEventBus {
  private client?: Client;
  private listener?: ChatBusListener;
  private closing = false;
  private attempt = 0;

  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.DATASOURCE, {optional: true})
    private dataSource?: juggler.DataSource,
  ) {}

  async inTransaction(tx: SqlRunner, lastId: number): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [
      EVENTS_CHANNEL,
      String(lastId),
    ]);
  }

  committed(): void {
    // the NOTIFY sent in the transaction reaches this instance too
  }

  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.query('SELECT pg_notify($1, $2)', [
      EPHEMERAL_CHANNEL,
      JSON.stringify(event),
    ]);
  }

  async listen(listener: ChatBusListener): Promise<void> {
    if (this.db.dialect !== 'postgres') {
      throw new Error(
        "realtime.eventBus 'postgres' needs the component's database to be PostgreSQL.",
      );
    }
    this.listener = listener;
    this.closing = false;
    await this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connectionConfig());
    client.on('notification', n => this.onNotification(n));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    await client.query(`LISTEN ${EPHEMERAL_CHANNEL}`);
    this.client = client;
    this.attempt = 0;
    // whatever was committed while we were not listening
    this.listener?.eventsCommitted();
  }

  private reconnect(lost: Client): void {
    if (this.closing || this.client !== lost) return;
    this.client = undefined;
    lost.end().catch(() => undefined);
    const delay =
      RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)];
    setTimeout(() => {
      if (this.closing) return;
      this.connect().catch(() => this.reconnect(lost));
    }, delay).unref();
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
