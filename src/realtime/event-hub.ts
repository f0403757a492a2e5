import {
  BindingScope,
  inject,
  injectable,
  LifeCycleObserver,
} from '@loopback/core';
import {ChatServiceBindings} from '../keys';
import {consoleLogger} from '../providers/console-logger.provider';
import {ChatDb, eventQueries} from '../repositories';
import {
  ChatBusListener,
  ChatEventBus,
  ChatLogger,
  EphemeralEvent,
  ResolvedChatServiceConfig,
} from '../types';
import {LogReader} from './log-reader';
import {EventStream} from './event-stream';
import {LoggedEvent, toEphemeralView, toLoggedEvent} from './event-view';
import {MembershipCache} from './membership-cache';
import type {ChatShutdownService} from './shutdown.service';
import {StreamRegistry} from './stream-registry';

const PAGE = 500;

/**
 * The process's side of live delivery. On news from the bus it reads the
 * newly committed events from the log, in order, and writes each to the
 * open streams of the users who were members at the time of the event.
 * Replays what a reconnecting client missed before it goes live.
 */
@injectable({scope: BindingScope.SINGLETON})
export class EventHub implements ChatBusListener, LifeCycleObserver {
  readonly streams = new StreamRegistry();
  private position = 0;
  private draining?: Promise<void>;
  private drainAgain = false;
  private readonly members = new MembershipCache();
  private timers: NodeJS.Timeout[] = [];
  private readonly reader: LogReader;

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.LOGGER, {optional: true})
    logger: ChatLogger = consoleLogger(),
    @inject(ChatServiceBindings.SHUTDOWN, {optional: true})
    private shutdown?: ChatShutdownService,
  ) {
    this.reader = new LogReader(logger, () => this.eventsCommitted());
  }

  async start(): Promise<void> {
    this.reader.start();
    this.position = await eventQueries.lastEventId(this.db);
    await this.bus.listen(this);
    const {heartbeatSeconds, catchUpSeconds} = this.config.realtime;
    this.every(heartbeatSeconds * 1000, () => this.streams.heartbeat());
    this.every(catchUpSeconds * 1000, () => this.catchUp());
  }

  /**
   * Ends the streams, then closes the bus: once the requests in flight are
   * finished (see `ChatShutdownService.stopServing`).
   */
  async stop(): Promise<void> {
    await this.shutdown?.stopServing();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.reader.stop();
    this.streams.closeAll();
    await this.bus.close();
    await this.draining;
  }

  /**
   * Opens a stream for `user`. With `lastEventId`, the events after it are
   * replayed from the log first; without, the stream starts at the present:
   * after the newest committed event, which may be newer than what this
   * process has routed so far (the caller's own write just before, say).
   * The response's headers go out once the start is known, so the client
   * gets everything committed after it sees the stream open.
   */
  async open(stream: EventStream, lastEventId?: number): Promise<void> {
    // registered first: what is routed meanwhile waits in the stream
    this.streams.add(stream);
    if (lastEventId === undefined) {
      stream.cursor = await eventQueries.lastEventId(this.db);
      stream.open();
      stream.endReplay();
      return;
    }
    stream.open();
    let page: LoggedEvent[];
    do {
      const rows = await eventQueries.listForUser(
        this.db,
        stream.user.tenantId,
        stream.user.id,
        stream.cursor,
        PAGE,
      );
      page = rows.map(toLoggedEvent);
      for (const event of page) stream.replay(event.view);
    } while (page.length === PAGE && !stream.closed);
    stream.endReplay();
  }

  /**
   * Bus news: events were committed. Also called by the periodic catch-up
   * and to retry a drain that could not read the log.
   */
  eventsCommitted(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.reader
      .run(() => this.drain())
      .finally(() => {
        this.draining = undefined;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.eventsCommitted();
        }
      });
  }

  /** Bus news: a typing or presence event. */
  ephemeral(event: EphemeralEvent): void {
    this.routeEphemeral(event).catch(() => undefined);
  }

  /** The newest event id this process has routed. */
  get lastRoutedId(): number {
    return this.position;
  }

  /**
   * The safety net behind the bus: news lost on the way (or a bus that
   * has not noticed it is cut off) delays delivery by at most
   * `realtime.catchUpSeconds`. One read of the event clock when nothing is
   * new.
   */
  private catchUp(): void {
    if (this.draining !== undefined || this.reader.retrying) return;
    eventQueries.lastEventId(this.db).then(
      last => {
        if (last > this.position) this.eventsCommitted();
      },
      // unreadable: a drain reports it and retries with backoff
      () => this.eventsCommitted(),
    );
  }

  /** Routes what was committed after `position`; rejects when the log cannot be read. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.streams.size === 0) {
        // nobody to deliver to: skip ahead, forget memberships
        const last = await eventQueries.lastEventId(this.db);
        // a stream opened meanwhile starts at position: route to it
        if (this.streams.size > 0) continue;
        this.members.clear();
        this.position = last;
        return;
      }
      const rows = await eventQueries.listAfter(this.db, this.position, PAGE);
      if (rows.length === 0) return;
      const events = rows.map(toLoggedEvent);
      await this.loadMemberships(events.map(e => e.view.conversationId!));
      for (const event of events) this.route(event);
      this.position = events[events.length - 1].view.id!;
      if (rows.length < PAGE) return;
    }
  }

  private route({tenantId, view}: LoggedEvent): void {
    this.members.apply(view);
    const recipients = this.members.membersAt(view.conversationId!, view.id!);
    for (const userId of recipients) {
      this.streams.forUser(tenantId, userId, s => s.deliver(view));
    }
  }

  private async routeEphemeral(event: EphemeralEvent): Promise<void> {
    const view = toEphemeralView(event);
    let recipients: string[];
    if (event.type === 'typing') {
      await this.loadMemberships([event.conversationId!]);
      recipients = this.members
        .members(event.conversationId!)
        .filter(userId => userId !== event.userId);
    } else {
      const local = this.streams.usersOf(event.tenantId);
      if (local.length === 0) return;
      recipients = await eventQueries.listContacts(
        this.db,
        event.tenantId,
        event.userId,
        local,
      );
    }
    for (const userId of recipients) {
      this.streams.forUser(event.tenantId, userId, s =>
        s.deliverEphemeral(view),
      );
    }
  }

  private async loadMemberships(conversationIds: string[]): Promise<void> {
    const missing = [...new Set(conversationIds)].filter(
      id => !this.members.has(id),
    );
    if (missing.length === 0) return;
    const rows = await eventQueries.listPeriods(this.db, missing);
    const byConversation = new Map<string, ChatPeriodRow[]>(
      missing.map(id => [id, []]),
    );
    for (const row of rows) {
      byConversation.get(row.conversation_id as string)?.push({
        userId: row.user_id as string,
        from: Number(row.from_event_id),
        to: row.to_event_id === null ? null : Number(row.to_event_id),
      });
    }
    for (const [id, periods] of byConversation) this.members.set(id, periods);
  }

  private every(ms: number, task: () => void) {
    const timer = setInterval(task, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

interface ChatPeriodRow {
  userId: string;
  from: number;
  to: number | null;
}
