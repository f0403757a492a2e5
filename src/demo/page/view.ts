import type {
  Attachment,
  Conversation,
  Message,
} from 'loopback4-chat-service/client';

type Child = Node | string | null | undefined | false;

/** `document.querySelector` that insists on finding the element. */
export function $<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`The page has no ${selector}.`);
  return found;
}

/** Creates an element with attributes (`on…` ones are listeners). */
export function el(
  tag: string,
  attrs: Record<string, string | boolean | (() => void) | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else if (typeof value === 'string') {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** The conversation's name as one user sees it. */
export function titleOf(
  conversation: Conversation,
  me: string,
  names: Map<string, string>,
): string {
  if (conversation.type === 'group') return conversation.title ?? 'Group';
  const other = conversation.members.find(m => m.userId !== me);
  return other ? nameOf(other.userId, names) : 'Direct conversation';
}

export function nameOf(userId: string, names: Map<string, string>): string {
  return names.get(userId) ?? userId.slice(0, 8);
}

/** One entry of the conversation list: a button with an unread badge. */
export function conversationItem(
  conversation: Conversation,
  title: string,
  active: boolean,
  open: () => void,
): HTMLElement {
  const last = conversation.lastMessage;
  const preview = last
    ? (last.body ?? (last.deletedAt ? 'deleted' : '📎'))
    : '';
  const unread = conversation.unreadCount;
  const button = el(
    'button',
    {type: 'button', class: 'conversation', onclick: open},
    el('span', {class: 'title'}, title),
    el('span', {class: 'preview'}, preview),
    unread > 0 &&
      el(
        'span',
        {class: 'badge'},
        String(unread),
        el('span', {class: 'visually-hidden'}, ' unread'),
      ),
  );
  if (active) button.setAttribute('aria-current', 'true');
  return el('li', {'data-id': conversation.id}, button);
}

export interface MessageView {
  sender: string;
  mine: boolean;
  /** "Read by bob", "Sent" (own messages only). */
  receipt?: string;
  download: (attachment: Attachment) => void;
}

/** The contents of one message's list item. */
export function messageContent(message: Message, view: MessageView): Node[] {
  const time = new Date(message.createdAt);
  const header = el(
    'p',
    {class: 'meta'},
    el('strong', {}, view.sender),
    ' ',
    el(
      'time',
      {datetime: message.createdAt},
      time.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}),
    ),
    message.editedAt && ' (edited)',
  );
  const body = message.deletedAt
    ? el('p', {class: 'body deleted'}, 'This message was deleted.')
    : message.body && el('p', {class: 'body'}, message.body);
  const files = message.attachments.map(a =>
    el(
      'button',
      {type: 'button', class: 'attachment', onclick: () => view.download(a)},
      `Download ${a.fileName} (${formatSize(a.size)})`,
    ),
  );
  return [
    header,
    ...(body ? [body] : []),
    ...files,
    ...(view.mine ? [el('p', {class: 'receipt'}, view.receipt ?? '')] : []),
  ];
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Saves a Blob as a file (a Blob URL on a temporary `<a download>`). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', {href: url, download: fileName, hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
