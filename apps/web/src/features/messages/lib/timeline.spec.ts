import type { MessageDto } from '@parley/contracts';
import {
  buildTimeline,
  dayLabel,
  type Notice,
  type PendingMessage,
  type TimelineEntry,
} from './timeline';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const own = { id: 'me', displayName: 'Me' };
const now = new Date(2026, 5, 15, 18, 0);

const ann = { id: 'ann', username: 'ann', displayName: 'Ann' };
const meSender = { id: 'me', username: 'me', displayName: 'Me' };

function at(day: number, hour: number, minute = 0): string {
  return new Date(2026, 5, day, hour, minute).toISOString();
}

function message(
  seq: number,
  createdAt: string,
  sender = ann,
  clientMessageId = `c${seq}`,
): MessageDto {
  return {
    id: `m${seq}`,
    room: 'abcdefghij',
    seq,
    sender,
    content: `text ${seq}`,
    mentions: [],
    mentionsRoom: false,
    clientMessageId,
    createdAt,
    ...UNCHANGED_MESSAGE_FIELDS,
  };
}

function pending(
  clientMessageId: string,
  createdAt: string,
  status: PendingMessage['status'] = 'pending',
): PendingMessage {
  return {
    clientMessageId,
    room: 'abcdefghij',
    content: `draft ${clientMessageId}`,
    createdAt,
    status,
  };
}

function summary(entries: TimelineEntry[]): string[] {
  return entries.map((entry) => {
    if (entry.type === 'day') return `[${entry.label}]`;
    if (entry.type === 'notice') return `(${entry.notice.content})`;
    const m = entry.message;
    return `${m.own ? 'me' : m.senderName}:${m.content}:${m.status}${m.showSender ? '' : ':cont'}`;
  });
}

describe('dayLabel', () => {
  it('says Today, Yesterday, then the date (with the year only when it differs)', () => {
    expect(dayLabel(new Date(2026, 5, 15, 1), now, 'en-US')).toBe('Today');
    expect(dayLabel(new Date(2026, 5, 14, 23), now, 'en-US')).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 5, 10), now, 'en-US')).toBe('Wednesday, June 10');
    expect(dayLabel(new Date(2025, 11, 31), now, 'en-US')).toBe('Wednesday, December 31, 2025');
  });
});

describe('buildTimeline', () => {
  it('separates days and groups consecutive messages from one sender', () => {
    const entries = buildTimeline({
      messages: [
        message(1, at(13, 9)),
        message(2, at(14, 9)),
        message(3, at(14, 9, 2)),
        message(4, at(14, 9, 30)),
        message(5, at(15, 8), meSender),
      ],
      pending: [],
      notices: [],
      own,
      now,
      locale: 'en-US',
    });
    expect(summary(entries)).toEqual([
      '[Saturday, June 13]',
      'Ann:text 1:sent',
      '[Yesterday]',
      'Ann:text 2:sent',
      'Ann:text 3:sent:cont',
      'Ann:text 4:sent',
      '[Today]',
      'me:text 5:sent',
    ]);
  });

  it('orders by seq and marks own messages', () => {
    const entries = buildTimeline({
      messages: [message(1, at(15, 9)), message(2, at(15, 9, 1), meSender)],
      pending: [],
      notices: [],
      own,
      now,
    });
    const messages = entries.flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
    expect(messages.map((m) => [m.content, m.own])).toEqual([
      ['text 1', false],
      ['text 2', true],
    ]);
  });

  it('shows unacknowledged sends last, with their status', () => {
    const entries = buildTimeline({
      messages: [message(1, at(15, 9))],
      pending: [pending('a', at(15, 9, 5)), pending('b', at(15, 9, 6), 'failed')],
      notices: [],
      own,
      now,
    });
    expect(summary(entries).slice(1)).toEqual([
      'Ann:text 1:sent',
      'me:draft a:pending',
      'me:draft b:failed:cont',
    ]);
  });

  it('shows a pending send once, as sent, when the server copy arrived before the ack', () => {
    const entries = buildTimeline({
      messages: [message(1, at(15, 9)), message(2, at(15, 9, 5), meSender, 'a')],
      pending: [pending('a', at(15, 9, 5))],
      notices: [],
      own,
      now,
    });
    expect(summary(entries).slice(1)).toEqual(['Ann:text 1:sent', 'me:text 2:sent']);
    // Same key as the pending echo, so React keeps the element instead of replacing it.
    expect(entries.at(-1)!.key).toBe('own:a');
  });

  it('does not reconcile with another user who happens to reuse a client id', () => {
    const entries = buildTimeline({
      messages: [message(1, at(15, 9), ann, 'a')],
      pending: [pending('a', at(15, 9, 5))],
      notices: [],
      own,
      now,
    });
    expect(summary(entries).slice(1)).toEqual(['Ann:text 1:sent', 'me:draft a:pending']);
  });

  it('places notices by time and restarts grouping after them', () => {
    const notice: Notice = {
      id: 'n1',
      room: 'abcdefghij',
      kind: 'join',
      content: 'Bob joined the room',
      createdAt: at(15, 9, 1),
    };
    const entries = buildTimeline({
      messages: [message(1, at(15, 9)), message(2, at(15, 9, 2))],
      pending: [],
      notices: [notice],
      own,
      now,
    });
    expect(summary(entries)).toEqual([
      '[Today]',
      'Ann:text 1:sent',
      '(Bob joined the room)',
      'Ann:text 2:sent',
    ]);
  });
});
