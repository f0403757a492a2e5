import {ChatEventView} from './event-view';

interface Period {
  userId: string;
  from: number;
  to: number | null;
}

/**
 * Who was a member of a conversation when, for the conversations the hub
 * has recently routed events of. Loaded from `chat_member_periods` and kept
 * up to date by the member events the hub routes in log order; applying an
 * event the loaded periods already contain changes nothing. Holds at most
 * `maxConversations`, evicting the least recently used.
 */
export class MembershipCache {
  private readonly periods = new Map<string, Period[]>();

  constructor(private readonly maxConversations = 10000) {}

  /**
   * Whether the conversation's periods are loaded. Marks them recently
   * used: the hub asks for every conversation of the events it is about to
   * route, so loading the missing ones evicts none of those.
   */
  has(conversationId: string): boolean {
    const periods = this.periods.get(conversationId);
    if (!periods) return false;
    this.periods.delete(conversationId);
    this.periods.set(conversationId, periods);
    return true;
  }

  set(conversationId: string, periods: Period[]): void {
    this.periods.delete(conversationId);
    this.periods.set(conversationId, periods);
    if (this.periods.size > this.maxConversations) {
      const oldest = this.periods.keys().next().value as string;
      this.periods.delete(oldest);
    }
  }

  clear(): void {
    this.periods.clear();
  }

  /** Users who were members when event `eventId` happened. */
  membersAt(conversationId: string, eventId: number): string[] {
    return (this.periods.get(conversationId) ?? [])
      .filter(p => p.from <= eventId && (p.to === null || eventId <= p.to))
      .map(p => p.userId);
  }

  /** Current members. */
  members(conversationId: string): string[] {
    return (this.periods.get(conversationId) ?? [])
      .filter(p => p.to === null)
      .map(p => p.userId);
  }

  /** Applies a member.added or member.removed event. */
  apply(event: ChatEventView): void {
    const periods = this.periods.get(event.conversationId ?? '');
    if (!periods || event.id === null) return;
    const id = event.id;
    if (event.type === 'member.added') {
      for (const {userId} of event.members as {userId: string}[]) {
        if (!periods.some(p => p.userId === userId && p.from === id)) {
          periods.push({userId, from: id, to: null});
        }
      }
    } else if (event.type === 'member.removed') {
      const open = periods.find(
        p => p.userId === event.userId && p.to === null && p.from <= id,
      );
      if (open) open.to = id;
    }
  }
}
