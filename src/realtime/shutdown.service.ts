import {
  BindingScope,
  CoreTags,
  Getter,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {RestBindings, RestServer} from '@loopback/rest';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {consoleLogger} from '../providers/console-logger.provider';
import {ChatLogger, ResolvedChatServiceConfig} from '../types';
import type {EventHub} from './event-hub';

/**
 * The life-cycle observer group of `ChatShutdownService`: LoopBack's
 * `server` group, the REST server's, so that its drain runs alongside the
 * REST server's stop whenever that comes first.
 */
export const CHAT_SHUTDOWN_OBSERVER_GROUP = 'server';

/**
 * Graceful shutdown of this instance, bound at `ChatServiceBindings.SHUTDOWN`.
 *
 * `drain()` makes the instance not ready (`ChatHealthService` reports
 * `draining`), refuses new event streams (503 `SHUTTING_DOWN` with
 * `Retry-After`), and ends every open stream with a `retry:` hint, waiting
 * until each is taken by its client (at most
 * `shutdown.streamCloseTimeoutMs`, then cut). A host may call it before it
 * stops the application, to be reported not ready for a while first.
 *
 * `stopServing()` drains, then stops the REST server, which finishes the
 * requests in flight (within its `gracePeriodForClose`). The component's
 * observers that requests rely on (the event hub and its bus, the
 * sequencer, presence) wait for it before they stop, so they let go of the
 * bus and the database only once no request needs them: whichever order
 * LoopBack stops the observer groups in (its `server` group is meant to
 * stop first, but it sorts groups by their explicit tag, which the REST
 * server's binding lacks, so in a `RestApplication` it stops last). A
 * second `RestServer.stop()` does nothing. This observer itself, in the
 * `server` group, drains when that group stops first.
 */
@injectable({
  scope: BindingScope.SINGLETON,
  tags: {[CoreTags.LIFE_CYCLE_OBSERVER_GROUP]: CHAT_SHUTDOWN_OBSERVER_GROUP},
})
export class ChatShutdownService implements LifeCycleObserver {
  private drained?: Promise<void>;
  private served?: Promise<void>;

  constructor(
    // a getter: the hub waits for this service when it stops
    @inject.getter(ChatServiceBindings.EVENT_HUB) private hub: Getter<EventHub>,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(RestBindings.SERVER, {optional: true})
    private restServer?: RestServer,
    @inject(ChatServiceBindings.LOGGER, {optional: true})
    private logger: ChatLogger = consoleLogger(),
  ) {}

  /** True from `drain()` until the application starts again. */
  get draining(): boolean {
    return this.drained !== undefined;
  }

  /**
   * `Retry-After` of what a draining instance refuses, in seconds: the
   * reconnect delay, rounded up (at least 1).
   */
  get retryAfterSeconds(): number {
    const {reconnectDelayMs} = this.config.shutdown;
    return Math.max(1, Math.ceil(reconnectDelayMs / 1000));
  }

  start(): void {
    this.drained = undefined;
    this.served = undefined;
  }

  stop(): Promise<void> {
    return this.drain();
  }

  /** Starts draining (once; later calls answer the same promise). */
  drain(): Promise<void> {
    this.drained ??= this.closeStreams();
    return this.drained;
  }

  /**
   * Drains, then stops the REST server: resolves once the requests in
   * flight are finished (once; later calls answer the same promise). Never
   * rejects: a failure is logged.
   */
  stopServing(): Promise<void> {
    // never rejects: the observers that wait for it still close their part
    this.served ??= this.drain()
      .then(() => this.restServer?.stop())
      .catch(err =>
        this.logger.error(
          `Shutting down: draining or stopping the REST server failed ` +
            `(${(err as Error)?.message ?? err}); closing the rest anyway.`,
        ),
      );
    return this.served;
  }

  /** Throws 503 `SHUTTING_DOWN` while draining: no new stream may open. */
  assertAccepting(): void {
    if (!this.draining) return;
    throw ChatError.unavailable(
      ChatErrorCodes.SHUTTING_DOWN,
      'This server is shutting down; open the event stream again ' +
        '(another instance answers it) after Retry-After.',
      this.retryAfterSeconds,
    );
  }

  private async closeStreams(): Promise<void> {
    const streams = (await this.hub()).streams.all();
    const {reconnectDelayMs, streamCloseTimeoutMs} = this.config.shutdown;
    if (streams.length > 0) {
      this.logger.info(
        `Shutting down: ending ${streams.length} event stream(s) with a ` +
          'retry: hint; new streams are answered 503 SHUTTING_DOWN.',
      );
    }
    const ended = streams.map(stream =>
      // spread over [delay, 2 × delay): not all clients back at once
      stream.closeForShutdown(reconnectDelayMs * (1 + Math.random())),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), streamCloseTimeoutMs);
    });
    const outcome = await Promise.race([Promise.all(ended), timeout]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return;
    const left = streams.filter(s => !s.responseOver);
    this.logger.warn(
      `Shutting down: ${left.length} event stream(s) not taken by their ` +
        `clients within shutdown.streamCloseTimeoutMs ` +
        `(${streamCloseTimeoutMs} ms): cut.`,
    );
    for (const stream of left) stream.cutOff();
  }
}
