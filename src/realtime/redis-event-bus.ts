import {BindingScope, inject, injectable} from '@loopback/core';
import {randomUUID} from 'node:crypto';
import type {Redis} from 'ioredis';
import {ChatServiceBindings} from '../keys';
import {consoleLogger} from '../providers/console-logger.provider';
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
import {RedisBusSettings, redisBusSettings} from './redis-bus-settings';
import {quit, redisConnectionOptions} from './redis-connections';

/** ioredis, loaded when the bus first listens. */
type IoRedisModule = typeof import('ioredis');

/** A message on one of the bus's channels. */
interface BusMessage {
  /** The bus instance that published it. */
  origin?: string;
  /** Commit news: the last event id of a committed transaction. */
  lastId?: number;
  /** A typing or presence event. */
  event?: EphemeralEvent;
}

/**
 * Redis publish/subscribe across instances, on PostgreSQL or MySQL/MariaDB.
 * After each sequencing transaction commits, the bus publishes its last
 * event id (ids only); typing and presence go out as JSON on a second
 * channel. Redis is not part of the transaction: a crash between a commit
 * and its publish loses only the news, and the hub's periodic catch-up
 * delivers the events. Each instance delivers its own news and ephemeral
 * events directly and ignores its own messages coming back from Redis, so
 * each reaches every instance once. It subscribes on a dedicated
 * connection and publishes on another. When Redis is lost, ioredis
 * reconnects with capped exponential backoff (nothing is queued while it is
 * down: news and ephemeral events for other instances are dropped), the
 * bus subscribes again and has its hub catch up from the log; it logs the
 * loss once and the recovery once, and `status()` tells the health check.
 * Like the postgres bus, the first connection must succeed.
 */
@injectable({scope: BindingScope.SINGLETON})
export class RedisEventBus implements ChatEventBus {
  /** Tells this instance's messages from those of the others. */
  private readonly origin = randomUUID();
  private readonly settings: RedisBusSettings;
  private readonly state: BusState;
  private ioredis?: IoRedisModule;
  private subscriber?: Redis;
  private publisher?: Redis;
  private listener?: ChatBusListener;
  /** The subscriber's current connection has subscribed to both channels. */
  private subscribed = false;
  /** The first connect succeeded: losses from now on are retried. */
  private listening = false;
  private closing = false;
  private lastError?: Error;

  constructor(
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.LOGGER, {optional: true})
    logger: ChatLogger = consoleLogger(),
  ) {
    this.settings = redisBusSettings(config.realtime);
    this.state = new BusState(logger, 'The redis event bus');
  }

  async inTransaction(): Promise<void> {
    // Redis is not part of the transaction: `committed` publishes
  }

  /** Delivers the news here, and publishes them to the other instances. */
  committed(lastId: number): void {
    this.listener?.eventsCommitted(lastId);
    this.publish(this.settings.eventsChannel, {origin: this.origin, lastId});
  }

  /** Delivers `event` here, and to the other instances while Redis is up. */
  async publishEphemeral(event: EphemeralEvent): Promise<void> {
    this.listener?.ephemeral(event);
    this.publish(this.settings.ephemeralChannel, {origin: this.origin, event});
  }

  async listen(listener: ChatBusListener): Promise<void> {
    this.ioredis ??= requireOptional<IoRedisModule>(
      'ioredis',
      "realtime.eventBus 'redis'",
    );
    this.listener = listener;
    this.closing = false;
    const subscriber = this.connection('subscriber');
    const publisher = this.connection('publisher');
    this.subscriber = subscriber;
    this.publisher = publisher;
    try {
      await Promise.all([subscriber.connect(), publisher.connect()]);
      await this.subscribe(subscriber);
    } catch (err) {
      if (this.closing) return; // close() ended the connections
      this.subscriber = this.publisher = undefined;
      subscriber.disconnect();
      publisher.disconnect();
      const reason = this.lastError ?? err;
      this.state.lost(reason);
      const message =
        `loopback4-chat-service: realtime.eventBus 'redis' cannot reach ` +
        `${this.settings.safeUrl} (${this.state.status().error}).`;
      throw Object.assign(new Error(message), {cause: reason});
    }
    if (this.closing) return;
    this.listening = true;
    this.whenReady();
  }

  /** Quits both connections, waiting a second at most for Redis to answer. */
  async close(): Promise<void> {
    this.closing = true;
    this.listening = false;
    this.subscribed = false;
    const connections = [this.subscriber, this.publisher];
    this.subscriber = this.publisher = undefined;
    await Promise.all(connections.map(c => c && quit(c)));
  }

  status(): ChatBusStatus {
    return this.state.status();
  }

  /** A connection to the configured Redis, not yet connected. */
  private connection(role: 'subscriber' | 'publisher'): Redis {
    const connection: Redis = new this.ioredis!.Redis(
      this.settings.url,
      redisConnectionOptions(role, times => this.retryDelay(connection, times)),
    );
    connection.on('error', (err: Error) => {
      this.lastError = err;
    });
    connection.on('close', () => this.lost(connection));
    connection.on('ready', () => this.ready(connection));
    if (role === 'subscriber') {
      connection.on('message', (channel: string, message: string) =>
        this.onMessage(channel, message),
      );
    }
    return connection;
  }

  /** ioredis's delay before reconnecting `connection`; null gives up. */
  private retryDelay(connection: Redis, times: number): number | null {
    // a failed first connect fails the start
    if (!this.listening || this.closing) return null;
    // count the attempts of one connection: the subscriber's, while it is down
    if (connection === this.subscriber || this.subscribed) {
      this.state.attempt();
    }
    return backoffDelay(times);
  }

  private lost(connection: Redis): void {
    if (connection === this.subscriber) this.subscribed = false;
    if (!this.listening || this.closing) return;
    this.state.lost(this.lastError);
  }

  /** `connection` is (re)connected; the first connect is `listen`'s. */
  private ready(connection: Redis): void {
    if (!this.listening || this.closing) return;
    if (connection !== this.subscriber) {
      this.whenReady();
      return;
    }
    this.subscribe(connection).then(
      () => this.whenReady(),
      err => {
        // lost again: it reconnects; refused: the bus stays down, saying why
        if (connection.status === 'ready') this.state.lost(err);
      },
    );
  }

  private async subscribe(connection: Redis): Promise<void> {
    const {eventsChannel, ephemeralChannel} = this.settings;
    await connection.subscribe(eventsChannel, ephemeralChannel);
    if (connection === this.subscriber) this.subscribed = true;
  }

  /** Up once both connections are: then the hub catches up from the log. */
  private whenReady(): void {
    if (!this.listening || this.closing) return;
    if (!this.subscribed || this.publisher?.status !== 'ready') return;
    if (this.state.status().state === 'up') return;
    this.lastError = undefined;
    this.state.up();
    // whatever was committed while we were not subscribed
    this.listener?.eventsCommitted();
  }

  private publish(channel: string, message: BusMessage): void {
    const publisher = this.publisher;
    if (publisher?.status !== 'ready') return; // dropped while down
    // a failure is a lost connection: its close event reconnects
    publisher.publish(channel, JSON.stringify(message)).catch(() => undefined);
  }

  private onMessage(channel: string, text: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch {
      return; // not ours
    }
    // this instance delivered its own already
    if (!message || message.origin === this.origin) return;
    if (channel === this.settings.eventsChannel) {
      const {lastId} = message;
      this.listener?.eventsCommitted(
        typeof lastId === 'number' ? lastId : undefined,
      );
    } else if (channel === this.settings.ephemeralChannel && message.event) {
      this.listener?.ephemeral(message.event);
    }
  }
}
