import {BindingScope, inject, injectable} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {ChatDb} from '../repositories';
import {ChatEventBus, ResolvedChatServiceConfig} from '../types';
import {ChatShutdownService} from './shutdown.service';

/** How long the health check waits for the database's answer, in ms. */
export const HEALTH_DATABASE_TIMEOUT_MS = 2000;

/** What `ChatHealthService.check()` reports. */
export interface ChatHealthReport {
  /**
   * `draining` while this instance shuts down (whatever its parts say);
   * else `ok` when every part is up, `unavailable` otherwise. Only `ok`
   * is ready.
   */
  status: 'ok' | 'unavailable' | 'draining';
  /** This instance is shutting down (`ChatServiceBindings.SHUTDOWN`). */
  draining: boolean;
  /** The database answered `SELECT 1` within the timeout (`responseMs`). */
  database: {status: 'up' | 'down'; responseMs?: number; error?: string};
  /**
   * The event bus: whether it carries news now, since when, and the
   * reconnect attempts made since it went down.
   */
  eventBus: {
    type: string;
    status: 'up' | 'down';
    since: string;
    attempts: number;
    error?: string;
  };
}

/**
 * Readiness of the component on this instance: the database and the event
 * bus, and whether it is shutting down. Bound at
 * `ChatServiceBindings.HEALTH`; a host's readiness probe answers 503
 * unless `check()` says `ok` (the demo's `GET /health` does).
 */
@injectable({scope: BindingScope.SINGLETON})
export class ChatHealthService {
  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.SHUTDOWN)
    private shutdown: ChatShutdownService,
  ) {}

  async check(
    timeoutMs = HEALTH_DATABASE_TIMEOUT_MS,
  ): Promise<ChatHealthReport> {
    const database = await this.checkDatabase(timeoutMs);
    const bus = this.bus.status?.() ?? {
      state: 'up',
      since: new Date(0),
      attempts: 0,
    };
    const eventBus: ChatHealthReport['eventBus'] = {
      type: this.config.realtime.eventBus,
      status: bus.state,
      since: bus.since.toISOString(),
      attempts: bus.attempts,
      ...(bus.error ? {error: bus.error} : {}),
    };
    const ok = database.status === 'up' && eventBus.status === 'up';
    // read after the database answered: a drain begun meanwhile counts
    const draining = this.shutdown.draining;
    const status = draining ? 'draining' : ok ? 'ok' : 'unavailable';
    return {status, draining, database, eventBus};
  }

  private async checkDatabase(
    timeoutMs: number,
  ): Promise<ChatHealthReport['database']> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const query = this.db.query('SELECT 1');
    query.catch(() => undefined); // may settle after the timeout
    try {
      await Promise.race([query, timeout]);
      return {status: 'up', responseMs: Date.now() - started};
    } catch (err) {
      return {status: 'down', error: (err as Error).message ?? String(err)};
    } finally {
      clearTimeout(timer);
    }
  }
}
