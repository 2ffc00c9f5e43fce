import type { MessageDto } from '@parley/contracts';
import type { MessagesData } from '../api/get-messages';
import { flattenMessages, upsertMessage } from './message-cache';

function message(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${seq}`,
    room: 'abcdefghij',
    seq,
    sender: { id: 'u1', username: 'ann', displayName: 'Ann' },
    content: `message ${seq}`,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    createdAt: new Date(2026, 0, 1, 12, seq).toISOString(),
    ...overrides,
  };
}

function data(...pages: MessageDto[][]): MessagesData {
  return {
    pages: pages.map((items, index) => ({
      items,
      nextBefore: index === pages.length - 1 ? null : (items[0]?.seq ?? null),
    })),
    pageParams: pages.map((items, index) => (index === 0 ? undefined : items.at(-1)!.seq + 1)),
  };
}

describe('upsertMessage', () => {
  it('appends a new message to the newest page in seq order', () => {
    const before = data([message(3), message(5)], [message(1), message(2)]);
    const after = upsertMessage(before, message(4));
    expect(after!.pages[0].items.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(after!.pages[1]).toBe(before.pages[1]);
  });

  it('returns the same object for a message already cached, on any page', () => {
    const before = data([message(3)], [message(1), message(2)]);
    expect(upsertMessage(before, message(3))).toBe(before);
    expect(upsertMessage(before, { ...message(1), content: 'changed' })).toBe(before);
  });

  it('leaves a never-loaded history alone', () => {
    expect(upsertMessage(undefined, message(1))).toBeUndefined();
  });

  it('does not mutate the cached data', () => {
    const before = data([message(1)]);
    const snapshot = JSON.stringify(before);
    upsertMessage(before, message(2));
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('flattenMessages', () => {
  it('orders pages (newest first) into one oldest-first list by seq', () => {
    const flat = flattenMessages(
      data([message(4), message(5)], [message(1), message(2), message(3)]),
    );
    expect(flat.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('de-duplicates by id when pages overlap after a refetch', () => {
    const flat = flattenMessages(data([message(3), message(4)], [message(2), message(3)]));
    expect(flat.map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
  });

  it('is empty without data', () => {
    expect(flattenMessages(undefined)).toEqual([]);
  });
});
