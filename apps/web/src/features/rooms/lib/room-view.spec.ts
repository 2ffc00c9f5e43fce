import type { MessageDto, RoomViewDto } from '@parley/contracts';
import {
  mergeRoomLists,
  mergeRoomView,
  shareRoomList,
  withMessage,
  withReadSeq,
} from './room-view';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ME = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ANN = 'bbbbbbbbbbbbbbbbbbbbbbbb';

const view = (overrides: Partial<RoomViewDto> = {}): RoomViewDto => ({
  id: 'abcdefghij',
  name: 'Lobby',
  kind: 'public',
  topic: null,
  createdBy: ME,
  lastSeq: 5,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 3,
  notify: 'mentions',
  peer: null,
  ...overrides,
});

const message = (seq: number, senderId: string, content = `text ${seq}`): MessageDto => ({
  id: `m${seq}`,
  room: 'abcdefghij',
  seq,
  sender: { id: senderId, username: `user_${senderId.slice(0, 3)}`, displayName: 'Someone' },
  content,
  mentions: [],
  mentionsRoom: false,
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
  ...UNCHANGED_MESSAGE_FIELDS,
});

describe('withMessage', () => {
  it('moves the last seq and the preview forward, not my cursor, for someone else’s message', () => {
    const next = withMessage(view(), message(6, ANN, 'hello'), ME);
    expect(next).toMatchObject({ lastSeq: 6, readSeq: 3 });
    expect(next.lastMessage).toEqual({
      seq: 6,
      sender: { id: ANN, username: 'user_bbb', displayName: 'Someone' },
      excerpt: 'hello',
      createdAt: message(6, ANN).createdAt,
    });
  });

  it('reads my own message at once', () => {
    expect(withMessage(view(), message(6, ME), ME)).toMatchObject({ lastSeq: 6, readSeq: 6 });
  });

  it('keeps the newest preview when an older message comes late, and the same object when nothing moves', () => {
    const after = withMessage(view(), message(8, ANN, 'newest'), ME);
    const late = withMessage(after, message(7, ANN, 'older'), ME);
    expect(late.lastMessage?.excerpt).toBe('newest');
    expect(late.lastSeq).toBe(8);
    expect(withMessage(late, message(8, ANN, 'newest'), ME)).toBe(late);
  });

  it('cuts the preview to the contract’s length', () => {
    const next = withMessage(view(), message(6, ANN, 'x'.repeat(500)), ME);
    expect(next.lastMessage?.excerpt).toHaveLength(140);
  });
});

describe('withReadSeq', () => {
  it('only moves forward', () => {
    const room = view({ readSeq: 4 });
    expect(withReadSeq(room, 5).readSeq).toBe(5);
    expect(withReadSeq(room, 2)).toBe(room);
    expect(withReadSeq(room, 4)).toBe(room);
  });
});

describe('mergeRoomView / mergeRoomLists', () => {
  it('keeps seqs an event already moved past what a trailing fetch says', () => {
    const known = withMessage(view({ readSeq: 6 }), message(9, ANN), ME);
    const fetched = view({ lastSeq: 8, readSeq: 5, name: 'Renamed' });
    expect(mergeRoomView(known, fetched)).toMatchObject({
      name: 'Renamed',
      lastSeq: 9,
      readSeq: 6,
      lastMessage: { seq: 9 },
    });
  });

  it('takes the fetch where it is ahead, and new rooms as they are', () => {
    const fetched = [view({ lastSeq: 12, readSeq: 12 }), view({ id: 'klmnopqrst' })];
    expect(mergeRoomLists([view()], fetched)).toEqual(fetched);
    expect(mergeRoomLists(undefined, fetched)).toBe(fetched);
  });

  it('shares unchanged rooms with the previous list (no re-render for a refetch that changed nothing)', () => {
    const previous = [view(), view({ id: 'klmnopqrst' })];
    const fetched = [view(), view({ id: 'klmnopqrst', lastSeq: 9 })];
    const shared = shareRoomList(previous, fetched) as RoomViewDto[];
    expect(shared[0]).toBe(previous[0]);
    expect(shared[1].lastSeq).toBe(9);
  });
});
