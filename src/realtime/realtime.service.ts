import {BindingScope, inject, injectable} from '@loopback/core';
import {Response} from '@loopback/rest';
import {ChatError, ChatErrorCodes} from '../errors';
import {ChatServiceBindings} from '../keys';
import {ChatDb, ConversationAccess, eventQueries} from '../repositories';
import {limitWithin} from '../domain';
import {
  ChatEventBus,
  ChatLogger,
  ChatUser,
  ResolvedChatServiceConfig,
} from '../types';
import {EventHub} from './event-hub';
import {EventStream} from './event-stream';
import {ChatEventView, toLoggedEvent} from './event-view';
import {PresenceService} from './presence.service';
import {ChatShutdownService} from './shutdown.service';

export interface SyncPage {
  items: ChatEventView[];
  nextCursor: string;
}

const SYNC_PAGE = {defaultSize: 100, maxSize: 1000};
/** `Retry-After` of a stream refused by `maxStreamsPerUser`, in seconds. */
export const TOO_MANY_STREAMS_RETRY_SECONDS = 10;

/** Event streams, `/sync` pages and typing notices. */
@injectable({scope: BindingScope.SINGLETON})
export class RealtimeService {
  private readonly typingSent = new Map<
    string,
    {at: number; typing: boolean}
  >();

  constructor(
    @inject(ChatServiceBindings.DATABASE) private db: ChatDb,
    @inject(ChatServiceBindings.EVENT_BUS) private bus: ChatEventBus,
    @inject(ChatServiceBindings.RESOLVED_CONFIG)
    private config: ResolvedChatServiceConfig,
    @inject(ChatServiceBindings.EVENT_HUB) private hub: EventHub,
    @inject(ChatServiceBindings.PRESENCE_SERVICE)
    private presence: PresenceService,
    @inject(ChatServiceBindings.LOGGER) private logger: ChatLogger,
    @inject(ChatServiceBindings.SHUTDOWN)
    private shutdown: ChatShutdownService,
  ) {}

  /**
   * The caller's events after `since` (from the oldest retained event when
   * absent), in log order. `nextCursor` is the last id answered, or `since`
   * when nothing was new (without `since`: the cursor just before the
   * oldest retained event), so a client can keep polling with it. A `since`
   * older than the retention window is a 410 `CURSOR_EXPIRED`.
   */
  async sync(
    user: ChatUser,
    query: {since?: string; limit?: number},
  ): Promise<SyncPage> {
    const given =
      query.since === undefined
        ? undefined
        : parseEventId(query.since, 'since');
    const limit = limitWithin(
      query.limit,
      SYNC_PAGE.defaultSize,
      SYNC_PAGE.maxSize,
    );
    const since = given ?? (await eventQueries.oldestValidCursor(this.db));
    const rows = await eventQueries.listForUser(
      this.db,
      user.tenantId,
      user.id,
      since,
      limit,
    );
    // checked after reading: pruning only moves the bound up, so a cursor
    // still valid now missed nothing in the page just read
    if (given !== undefined) await this.checkNotExpired(given, 'since');
    const items = rows.map(row => toLoggedEvent(row).view);
    const last = items[items.length - 1];
    return {items, nextCursor: String(last ? last.id : since)};
  }

  /**
   * Opens a Server-Sent Events stream on `response`: the events after
   * `lastEventId` first, when given, then live ones. A user with
   * `maxStreamsPerUser` streams open on this instance is refused (429)
   * before anything is written. The stream counts for presence from the
   * moment it is registered until it closes, whenever that happens (during
   * the replay too). A `lastEventId` older than the retention window is a
   * 410 `CURSOR_EXPIRED`, answered before the stream opens. While this
   * instance drains for a shutdown, a new stream is a 503 `SHUTTING_DOWN`.
   */
  async openStream(
    user: ChatUser,
    response: Response,
    lastEventId?: string,
  ): Promise<void> {
    const cursor =
      lastEventId === undefined
        ? undefined
        : parseEventId(lastEventId, 'Last-Event-ID');
    if (cursor !== undefined) {
      await this.checkNotExpired(cursor, 'Last-Event-ID');
    }
    // no await from these checks to hub.open(), which registers the
    // stream: a drain that starts later ends it
    this.shutdown.assertAccepting();
    this.checkStreamLimit(user);
    const {maxQueuedEvents, maxBufferedBytes} = this.config.realtime;
    const stream = new EventStream(
      user,
      response,
      {maxQueuedEvents, maxBufferedBytes},
      cursor ?? 0,
      this.logger,
    );
    const counted = this.presence.connected(user).catch(() => undefined);
    stream.whenClosed(() => {
      this.presence.disconnected(user).catch(() => undefined);
    });
    try {
      // the hub writes the headers once the stream's start is settled
      await this.hub.open(stream, cursor);
    } catch (err) {
      // not open yet (the database is down, say): the error is the answer
      if (response.headersSent) stream.close();
      else {
        stream.discard();
        if (!stream.refusedForShutdown) throw err;
      }
    }
    await counted;
    // a drain began while it was starting: refused, as a new one would be
    if (stream.refusedForShutdown) this.shutdown.assertAccepting();
  }

  private checkStreamLimit(user: ChatUser): void {
    const limit = this.config.realtime.maxStreamsPerUser;
    if (this.hub.streams.countOf(user.tenantId, user.id) < limit) return;
    throw ChatError.tooMany(
      ChatErrorCodes.TOO_MANY_STREAMS,
      `At most ${limit} event streams per user are open at once.`,
      TOO_MANY_STREAMS_RETRY_SECONDS,
    );
  }

  /** Throws 410 `CURSOR_EXPIRED` when events after `cursor` were pruned. */
  private async checkNotExpired(cursor: number, field: string) {
    const oldest = await eventQueries.oldestValidCursor(this.db);
    if (cursor >= oldest) return;
    throw new ChatError(
      'gone',
      ChatErrorCodes.CURSOR_EXPIRED,
      `${field} ${cursor} is older than the retained events (the oldest ` +
        `valid cursor is ${oldest}): reload the conversations, then ` +
        `resume from a fresh cursor.`,
    );
  }

  /** Tells the other members the caller is (or stopped) typing. */
  async typing(access: ConversationAccess, typing: boolean): Promise<void> {
    const key = `${access.conversationId}:${access.userId}`;
    const now = Date.now();
    const last = this.typingSent.get(key);
    const interval = this.config.realtime.typingIntervalMs;
    if (last && last.typing === typing && now - last.at < interval) return;
    if (this.typingSent.size > 10000) this.forgetTypingBefore(now - interval);
    this.typingSent.set(key, {at: now, typing});
    await this.bus.publishEphemeral({
      type: 'typing',
      tenantId: access.tenantId,
      conversationId: access.conversationId,
      userId: access.userId,
      createdAt: new Date(now).toISOString(),
      typing,
    });
  }

  private forgetTypingBefore(time: number) {
    for (const [key, value] of this.typingSent) {
      if (value.at < time) this.typingSent.delete(key);
    }
  }
}

/** An event id as clients send it: an integer, possibly as a string. */
export function parseEventId(value: unknown, field: string): number {
  const text = String(value).trim();
  const id = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(id)) {
    throw ChatError.invalid(field, 'must be an event id (an integer >= 0)');
  }
  return id;
}
