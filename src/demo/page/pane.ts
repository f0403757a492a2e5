import type {
  Attachment,
  ChatClient,
  Conversation,
  Message,
} from 'loopback4-chat-service/client';
import {$, el, messageContent, nameOf, saveBlob, titleOf} from './view.js';

const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MS = 6000;

/** The open conversation: history, live messages, receipts, typing, composer. */
export class ConversationPane {
  conversation?: Conversation;
  private readonly items = new Map<string, {message: Message; li: Element}>();
  private readonly readSeq = new Map<string, number>();
  private readonly list = $<HTMLOListElement>('#messages');
  private readonly typingLine = $('#typing');
  private typingShown?: ReturnType<typeof setTimeout>;
  private typingIdle?: ReturnType<typeof setTimeout>;
  private typingSentAt = 0;

  constructor(
    private readonly client: ChatClient,
    private readonly me: string,
    private readonly names: Map<string, string>,
    private readonly run: (task: () => Promise<unknown>) => void,
  ) {
    $('#body').addEventListener('input', () => this.onInput());
    $('#composer').addEventListener('submit', event => {
      event.preventDefault();
      this.run(() => this.send());
    });
  }

  /** Shows a conversation: its latest messages, then marks them read. */
  async open(conversation: Conversation): Promise<void> {
    this.conversation = conversation;
    this.items.clear();
    this.readSeq.clear();
    for (const m of conversation.members)
      this.readSeq.set(m.userId, m.lastReadSeq);
    $('#chat-title').textContent = titleOf(conversation, this.me, this.names);
    $('#composer').hidden = false;
    this.showTyping();
    this.list.replaceChildren();
    // history is not news: screen readers announce only later additions
    this.list.setAttribute('aria-busy', 'true');
    const {items} = await this.client.listMessages(conversation.id, {
      limit: 50,
    });
    for (const message of items) this.upsert(message);
    this.list.setAttribute('aria-busy', 'false');
    await this.markRead();
    $('#body').focus();
  }

  /** Adds a new message, or updates one shown (edited, deleted). */
  upsert(message: Message): void {
    if (message.conversationId !== this.conversation?.id) return;
    const known = this.items.get(message.id);
    const li = known?.li ?? el('li', {'data-seq': String(message.seq)});
    li.className = message.senderId === this.me ? 'message mine' : 'message';
    li.replaceChildren(...messageContent(message, this.viewOf(message)));
    this.items.set(message.id, {message, li});
    if (!known) {
      const after = [...this.list.children].find(
        item => Number((item as HTMLElement).dataset.seq) > message.seq,
      );
      this.list.insertBefore(li, after ?? null);
      li.scrollIntoView({block: 'nearest'});
      // whoever was typing has sent
      if (message.senderId !== this.me) this.showTyping();
    }
  }

  /** A member's read position moved: update the receipts. */
  readUpdated(userId: string, lastReadSeq: number): void {
    this.readSeq.set(userId, lastReadSeq);
    for (const {message} of this.items.values()) {
      if (message.senderId === this.me) this.upsert(message);
    }
  }

  /** Someone else started or stopped typing here. */
  typing(userId: string, typing: boolean): void {
    this.showTyping(typing ? nameOf(userId, this.names) : undefined);
  }

  /** Marks everything shown as read. */
  async markRead(): Promise<void> {
    const id = this.conversation?.id;
    const seqs = [...this.items.values()].map(i => i.message.seq);
    if (!id || seqs.length === 0) return;
    await this.client.markRead(id, Math.max(...seqs));
  }

  private viewOf(message: Message) {
    const mine = message.senderId === this.me;
    const readers = [...this.readSeq]
      .filter(([user, seq]) => user !== this.me && seq >= message.seq)
      .map(([user]) => nameOf(user, this.names));
    return {
      sender: mine ? 'You' : nameOf(message.senderId, this.names),
      mine,
      receipt: readers.length ? `Read by ${readers.join(', ')}` : 'Sent',
      download: (a: Attachment) => this.run(() => this.download(a)),
    };
  }

  private async send(): Promise<void> {
    const id = this.conversation?.id;
    const body = $<HTMLTextAreaElement>('#body');
    const file = $<HTMLInputElement>('#file');
    const text = body.value.trim();
    const chosen = file.files?.[0];
    if (!id || (!text && !chosen)) return;
    const attachmentIds = [];
    if (chosen) {
      attachmentIds.push((await this.client.uploadAttachment(id, chosen)).id);
    }
    const message = await this.client.sendMessage(id, {
      ...(text ? {body: text} : {}),
      ...(attachmentIds.length ? {attachmentIds} : {}),
    });
    body.value = '';
    file.value = '';
    this.upsert(message);
    this.stopTyping();
  }

  private async download(attachment: Attachment): Promise<void> {
    const {blob, fileName} = await this.client.downloadAttachment(
      attachment.id,
    );
    saveBlob(blob, fileName ?? attachment.fileName);
  }

  private onInput(): void {
    const id = this.conversation?.id;
    if (!id) return;
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    if (Date.now() - this.typingSentAt < TYPING_EVERY_MS) return;
    this.typingSentAt = Date.now();
    this.run(() => this.client.typing(id, true));
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    const id = this.conversation?.id;
    if (!id || this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    this.run(() => this.client.typing(id, false));
  }

  private showTyping(name?: string): void {
    clearTimeout(this.typingShown);
    this.typingLine.textContent = name ? `${name} is typing…` : '';
    if (name) {
      this.typingShown = setTimeout(() => this.showTyping(), TYPING_SHOWN_MS);
    }
  }
}
