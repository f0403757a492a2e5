import {
  ChatApiError,
  ChatClient,
  ChatEvent,
  Conversation,
  Message,
} from 'loopback4-chat-service/client';
import {ConversationPane} from './pane.js';
import {$, conversationItem, titleOf} from './view.js';

/** A demo user with a token, as `GET /demo/tokens` answers them. */
export interface DemoUser {
  id: string;
  name: string;
  token: string;
}

/** One user's chat: the conversation list, the open one, the live stream. */
export class ChatSession {
  private readonly client: ChatClient;
  private readonly names: Map<string, string>;
  private readonly pane: ConversationPane;
  private conversations: Conversation[] = [];
  /** Events are handled one at a time, in the order they arrive. */
  private events = Promise.resolve();
  private loads = 0;

  constructor(
    private readonly me: DemoUser,
    private readonly other: DemoUser,
    users: DemoUser[],
  ) {
    // same origin: the page is served by the chat service's host app
    this.client = new ChatClient({baseUrl: '', token: me.token});
    this.names = new Map(users.map(u => [u.id, u.name]));
    const run = (task: () => Promise<unknown>) => this.run(task);
    this.pane = new ConversationPane(this.client, me.id, this.names, run);
  }

  async start(): Promise<void> {
    const newDirect = $<HTMLButtonElement>('#new-direct');
    newDirect.textContent = `New conversation with ${this.other.name}`;
    newDirect.hidden = false;
    newDirect.addEventListener('click', () => this.run(() => this.direct()));
    const stream = this.client.events();
    stream.onState((state, error) => {
      if (state === 'open') this.status(`Connected as ${this.me.name}.`);
      if (state === 'reconnecting')
        this.status('Connection lost; reconnecting…');
      if (state === 'closed' && error) this.report(error);
    });
    stream.onEvent(event => {
      this.events = this.events
        .then(() => this.onEvent(event))
        .catch(err => this.report(err));
    });
    await this.load();
  }

  /** Runs a task of the page, reporting its failure in the status line. */
  run(task: () => Promise<unknown>): void {
    task().catch(err => this.report(err));
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    const {items} = await this.client.listConversations({limit: 100});
    if (load !== this.loads) return; // a later load answers instead
    this.conversations = items;
    this.render();
  }

  private async direct(): Promise<void> {
    const conversation = await this.client.direct(this.other.id);
    if (!this.find(conversation.id)) this.conversations.unshift(conversation);
    await this.open(conversation.id);
  }

  private async open(id: string): Promise<void> {
    const conversation = this.find(id);
    if (!conversation) return;
    conversation.unreadCount = 0;
    this.render();
    await this.pane.open(conversation);
  }

  private async onEvent(event: ChatEvent): Promise<void> {
    const conversation = event.conversationId
      ? this.find(event.conversationId)
      : undefined;
    if (event.type === 'presence') return;
    if (!conversation) {
      // a conversation new to this user (or one they just left)
      if (event.type !== 'typing') await this.load();
      return;
    }
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
      case 'message.deleted':
        return this.onMessage(conversation, event.type, event.message);
      case 'read.updated':
        this.readUpdated(conversation, event.userId, event.lastReadSeq);
        return;
      case 'typing':
        if (this.isOpen(conversation)) {
          this.pane.typing(event.userId, event.typing);
        }
        return;
      default:
        return this.load(); // members or title changed
    }
  }

  private async onMessage(
    conversation: Conversation,
    type: string,
    message: Message,
  ): Promise<void> {
    if (message.seq >= conversation.lastSeq) {
      conversation.lastSeq = message.seq;
      conversation.lastMessage = message;
      if (type === 'message.created') {
        conversation.lastMessageAt = message.createdAt;
        if (message.senderId !== this.me.id && !this.isOpen(conversation)) {
          conversation.unreadCount++;
        }
      }
    }
    this.render();
    if (!this.isOpen(conversation)) return;
    this.pane.upsert(message);
    if (message.senderId !== this.me.id) await this.pane.markRead();
  }

  private readUpdated(c: Conversation, userId: string, seq: number): void {
    const member = c.members.find(m => m.userId === userId);
    if (member) member.lastReadSeq = Math.max(member.lastReadSeq, seq);
    if (userId === this.me.id) {
      c.unreadCount = Math.max(0, c.lastSeq - seq);
      this.render();
    }
    if (this.isOpen(c)) this.pane.readUpdated(userId, seq);
  }

  private render(): void {
    const time = (c: Conversation) =>
      Date.parse(c.lastMessageAt ?? c.createdAt);
    this.conversations.sort((a, b) => time(b) - time(a));
    const list = $('#conversations');
    const focused = document.activeElement?.closest('li')?.dataset.id;
    list.replaceChildren(
      ...this.conversations.map(c =>
        conversationItem(
          c,
          titleOf(c, this.me.id, this.names),
          this.isOpen(c),
          () => this.run(() => this.open(c.id)),
        ),
      ),
    );
    // keep the keyboard focus on the same conversation across a re-render
    if (focused && list.contains(document.activeElement) === false) {
      list
        .querySelector<HTMLElement>(`li[data-id="${focused}"] button`)
        ?.focus();
    }
    const total = this.conversations.reduce((n, c) => n + c.unreadCount, 0);
    document.title = `${total ? `(${total}) ` : ''}Chat demo: ${this.me.name}`;
  }

  private find(id: string): Conversation | undefined {
    return this.conversations.find(c => c.id === id);
  }

  private isOpen(conversation: Conversation): boolean {
    return this.pane.conversation?.id === conversation.id;
  }

  private status(text: string): void {
    $('#status').textContent = text;
  }

  private report(err: unknown): void {
    const text =
      err instanceof ChatApiError
        ? `${err.message} (${err.status} ${err.code})`
        : String((err as Error)?.message ?? err);
    this.status(`Error: ${text}`);
  }
}
