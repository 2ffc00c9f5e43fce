import type { MessageDto, SystemMessageKind } from '@parley/contracts';

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** A message this tab sent that the server has not acknowledged (yet, or ever). */
export interface PendingMessage {
  clientMessageId: string;
  room: string;
  content: string;
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
}

/** A join/leave notice. Not stored by the server, so it only exists in this tab. */
export interface Notice {
  id: string;
  room: string;
  kind: SystemMessageKind;
  content: string;
  createdAt: string;
}

export interface TimelineMessage {
  key: string;
  clientMessageId: string;
  /** The stored message's id and seq; absent while it is still being sent. */
  id?: string;
  seq?: number;
  senderId?: string;
  senderName: string;
  /** For "Message" (open a direct conversation) on someone else's name. */
  senderUsername?: string;
  content: string;
  /** Resolved by the server: absent while the message is still being sent. */
  mentions?: MessageDto['mentions'];
  mentionsRoom?: boolean;
  createdAt: string;
  /** When it was last edited; absent or `null` when never. */
  editedAt?: string | null;
  /** A tombstone: "Message deleted" in its place. */
  deleted?: boolean;
  reactions?: MessageDto['reactions'];
  replyTo?: MessageDto['replyTo'];
  pinnedAt?: string | null;
  attachments?: MessageDto['attachments'];
  status: DeliveryStatus;
  own: boolean;
  /** False when the previous message is from the same sender a moment earlier: no name repeated. */
  showSender: boolean;
  error?: string;
}

export type TimelineEntry =
  | { type: 'day'; key: string; label: string }
  | { type: 'message'; key: string; message: TimelineMessage }
  | { type: 'notice'; key: string; notice: Notice };

export interface TimelineInput {
  messages: MessageDto[];
  pending: PendingMessage[];
  notices: Notice[];
  own: { id: string; displayName: string };
  now: Date;
  locale?: string;
}

/** Messages closer than this from the same sender read as one group. */
const GROUP_WINDOW_MS = 5 * 60 * 1000;

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

export function dayLabel(date: Date, now: Date, locale?: string): string {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const day = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  const days = Math.round((today.getTime() - day.getTime()) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return day.toLocaleDateString(locale, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(day.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
  });
}

type Item =
  | { type: 'message'; at: number; senderId: string; message: Omit<TimelineMessage, 'showSender'> }
  | { type: 'notice'; at: number; notice: Notice };

/**
 * Builds what the message list shows: stored messages by `seq`, then this tab's unacknowledged
 * sends (always the newest), with join/leave notices placed by time and a separator per day.
 * A pending send whose `clientMessageId` already came back from the server — through its ack,
 * another tab's `new_message` or a refetch — is shown once, as sent.
 */
export function buildTimeline(input: TimelineInput): TimelineEntry[] {
  const { own } = input;
  const delivered = new Set(
    input.messages.filter((m) => m.sender.id === own.id).map((m) => m.clientMessageId),
  );

  const messageItems: Item[] = [
    ...input.messages.map((m): Item => ({
      type: 'message',
      at: Date.parse(m.createdAt),
      senderId: m.sender.id,
      message: {
        key: m.sender.id === own.id ? `own:${m.clientMessageId}` : `id:${m.id}`,
        clientMessageId: m.clientMessageId,
        id: m.id,
        seq: m.seq,
        senderId: m.sender.id,
        senderName: m.sender.displayName,
        senderUsername: m.sender.username,
        content: m.content,
        mentions: m.mentions,
        mentionsRoom: m.mentionsRoom,
        createdAt: m.createdAt,
        editedAt: m.editedAt,
        deleted: Boolean(m.deletedAt),
        reactions: m.reactions,
        replyTo: m.replyTo,
        pinnedAt: m.pinnedAt,
        attachments: m.attachments,
        status: 'sent',
        own: m.sender.id === own.id,
      },
    })),
    ...input.pending
      .filter((p) => !delivered.has(p.clientMessageId))
      .map((p): Item => ({
        type: 'message',
        at: Date.parse(p.createdAt),
        senderId: own.id,
        message: {
          key: `own:${p.clientMessageId}`,
          clientMessageId: p.clientMessageId,
          senderName: own.displayName,
          content: p.content,
          createdAt: p.createdAt,
          status: p.status,
          own: true,
          error: p.error,
        },
      })),
  ];

  // Notices slot in before the first message that is later than them; messages keep seq order.
  const notices = [...input.notices].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
  const items: Item[] = [];
  let n = 0;
  for (const item of messageItems) {
    while (n < notices.length && Date.parse(notices[n].createdAt) < item.at) {
      items.push({ type: 'notice', at: Date.parse(notices[n].createdAt), notice: notices[n] });
      n += 1;
    }
    items.push(item);
  }
  for (; n < notices.length; n += 1) {
    items.push({ type: 'notice', at: Date.parse(notices[n].createdAt), notice: notices[n] });
  }

  const entries: TimelineEntry[] = [];
  let currentDay = '';
  let previous: Item | undefined;
  for (const item of items) {
    const date = new Date(item.at);
    const key = dayKey(date);
    if (key !== currentDay) {
      currentDay = key;
      previous = undefined;
      entries.push({
        type: 'day',
        key: `day:${key}`,
        label: dayLabel(date, input.now, input.locale),
      });
    }
    if (item.type === 'notice') {
      entries.push({ type: 'notice', key: `notice:${item.notice.id}`, notice: item.notice });
    } else {
      const continues =
        previous?.type === 'message' &&
        previous.senderId === item.senderId &&
        item.at - previous.at < GROUP_WINDOW_MS;
      entries.push({
        type: 'message',
        key: item.message.key,
        message: { ...item.message, showSender: !continues },
      });
    }
    previous = item;
  }
  return entries;
}
