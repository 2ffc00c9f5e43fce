import type { MessageDto } from '@parley/contracts';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';
import type { MessagesData } from '../api/get-messages';
import {
  applyChanges,
  findMessage,
  flattenMessages,
  historyChangeSeq,
  upsertMessage,
  upsertMessages,
} from './message-cache';

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
    ...UNCHANGED_MESSAGE_FIELDS,
    ...overrides,
  };
}

function data(...pages: MessageDto[][]): MessagesData {
  return {
    pages: pages.map((items, index) => ({
      items,
      nextBefore: index === pages.length - 1 ? null : (items[0]?.seq ?? null),
      changeSeq: 0,
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

  it('replaces a cached copy by a higher version only, and adds the rest', () => {
    const before = data([message(2), message(3)], [message(1)]);
    const edited = message(1, { content: 'edited', version: 2, editedAt: '2026-01-02T00:00:00Z' });
    const after = upsertMessages(before, [edited, message(4)]);
    expect(flattenMessages(after).map((m) => [m.seq, m.content])).toEqual([
      [1, 'edited'],
      [2, 'message 2'],
      [3, 'message 3'],
      [4, 'message 4'],
    ]);
    // An older copy arriving late (a sync page read before the edit) changes nothing.
    expect(upsertMessage(after, message(1))).toBe(after);
  });

  it('does not mutate the cached data', () => {
    const before = data([message(1)]);
    const snapshot = JSON.stringify(before);
    upsertMessage(before, message(2));
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('applyChanges', () => {
  it('replaces cached messages by higher versions and drops changes to uncached ones', () => {
    const before = data([message(2), message(3)], [message(1)]);
    const tombstone = message(2, { content: '', deletedAt: '2026-01-02T00:00:00Z', version: 3 });
    const after = applyChanges(before, [tombstone, message(9, { version: 2 })]);
    expect(findMessage(after, 'm2')).toEqual(tombstone);
    expect(findMessage(after, 'm9')).toBeUndefined();
    expect(after!.pages[1]).toBe(before.pages[1]);
    // The same change again, or an older one, is a no-op.
    expect(applyChanges(after, [tombstone, message(2, { version: 2 })])).toBe(after);
  });

  it('turns a stale cache into the fresh page: stale state + synced changes = fresh fetch', () => {
    const stale = data([message(1), message(2), message(3)]);
    const fresh = [
      message(1, {
        content: 'now edited',
        version: 2,
        editedAt: '2026-01-02T00:00:00Z',
        changeSeq: 1,
      }),
      message(2, {
        reactions: [{ emoji: '👍', count: 1, userIds: ['u2'] }],
        version: 3,
        changeSeq: 3,
      }),
      message(3, { content: '', deletedAt: '2026-01-02T00:01:00Z', version: 2, changeSeq: 2 }),
    ];
    // `sync` answers by ascending changeSeq, whole messages.
    const changed = [...fresh].sort((a, b) => a.changeSeq - b.changeSeq);
    expect(flattenMessages(applyChanges(stale, changed))).toEqual(flattenMessages(data(fresh)));
  });
});

describe('historyChangeSeq', () => {
  it('is the lowest changeSeq of the loaded pages (none without history)', () => {
    const history = data([message(3)], [message(1)]);
    history.pages[0] = { ...history.pages[0], changeSeq: 7 };
    history.pages[1] = { ...history.pages[1], changeSeq: 9 };
    expect(historyChangeSeq(history)).toBe(7);
    expect(historyChangeSeq(undefined)).toBeUndefined();
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
