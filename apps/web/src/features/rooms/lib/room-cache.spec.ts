import { QueryClient } from '@tanstack/react-query';
import type { MessageDto, RoomMemberDto, RoomViewDto } from '@parley/contracts';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { membersQueryKey } from '../api/members';
import { recordMessage, recordNotifyLevel, recordReadReceipt, recordReadState } from './room-cache';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ME = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ANN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const BEN = 'cccccccccccccccccccccccc';
const LOBBY = 'abcdefghij';
const OTHER = 'klmnopqrst';

const view = (id: string, overrides: Partial<RoomViewDto> = {}): RoomViewDto => ({
  id,
  name: id,
  kind: 'public',
  topic: null,
  createdBy: ME,
  lastSeq: 5,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 5,
  notify: 'mentions',
  peer: null,
  ...overrides,
});

const member = (id: string, readSeq: number | null): RoomMemberDto => ({
  user: { id, username: `user_${id.slice(0, 3)}`, displayName: id },
  role: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  presence: { status: 'online', lastSeenAt: null },
  readSeq,
});

const message = (room: string, seq: number, senderId: string): MessageDto => ({
  id: `m${seq}`,
  room,
  seq,
  sender: { id: senderId, username: 'someone', displayName: 'Someone' },
  content: `text ${seq}`,
  mentions: [],
  mentionsRoom: false,
  clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  createdAt: '2026-01-01T10:00:00.000Z',
  ...UNCHANGED_MESSAGE_FIELDS,
});

function setup() {
  const queryClient = new QueryClient();
  queryClient.setQueryData(roomsQueryKey, [view(LOBBY), view(OTHER)]);
  queryClient.setQueryData(roomQueryKey(LOBBY), view(LOBBY));
  const listed = (id: string) =>
    queryClient.getQueryData<RoomViewDto[]>(roomsQueryKey)?.find((room) => room.id === id);
  const single = (id: string) => queryClient.getQueryData<RoomViewDto>(roomQueryKey(id));
  return { queryClient, listed, single };
}

describe('room cache updates', () => {
  it('a message moves its room in the list and in the room’s own entry, and no other room', () => {
    const { queryClient, listed, single } = setup();
    recordMessage(queryClient, message(LOBBY, 8, ANN), ME);
    expect(listed(LOBBY)).toMatchObject({ lastSeq: 8, readSeq: 5, lastMessage: { seq: 8 } });
    expect(single(LOBBY)).toMatchObject({ lastSeq: 8, readSeq: 5 });
    expect(listed(OTHER)).toEqual(view(OTHER));
    // Not cached on its own: nothing is created for it.
    expect(single(OTHER)).toBeUndefined();
  });

  it('my own message is read at once', () => {
    const { queryClient, listed } = setup();
    recordMessage(queryClient, message(LOBBY, 6, ME), ME);
    expect(listed(LOBBY)).toMatchObject({ lastSeq: 6, readSeq: 6 });
  });

  it('read_state moves the cursor forward only, in the list and the room’s entry', () => {
    const { queryClient, listed, single } = setup();
    recordMessage(queryClient, message(LOBBY, 9, ANN), ME);
    recordReadState(queryClient, { room: LOBBY, readSeq: 8 });
    recordReadState(queryClient, { room: LOBBY, readSeq: 7 });
    expect(listed(LOBBY)?.readSeq).toBe(8);
    expect(single(LOBBY)?.readSeq).toBe(8);
  });

  it('notifications_updated sets my level', () => {
    const { queryClient, listed, single } = setup();
    recordNotifyLevel(queryClient, { room: LOBBY, level: 'muted' });
    expect(listed(LOBBY)?.notify).toBe('muted');
    expect(single(LOBBY)?.notify).toBe('muted');
  });

  it('read_receipt moves a member’s cursor forward only', () => {
    const { queryClient } = setup();
    queryClient.setQueryData(membersQueryKey(LOBBY), [member(ANN, 3), member(BEN, null)]);
    recordReadReceipt(queryClient, { room: LOBBY, userId: ANN, readSeq: 6 });
    recordReadReceipt(queryClient, { room: LOBBY, userId: ANN, readSeq: 4 });
    recordReadReceipt(queryClient, { room: LOBBY, userId: BEN, readSeq: 2 });
    expect(
      queryClient
        .getQueryData<RoomMemberDto[]>(membersQueryKey(LOBBY))
        ?.map((entry) => entry.readSeq),
    ).toEqual([6, 2]);
  });

  it('a member’s message moves their shown cursor to it, never back, and leaves a hidden one hidden', () => {
    const { queryClient } = setup();
    queryClient.setQueryData(membersQueryKey(LOBBY), [member(ANN, 3), member(BEN, null)]);
    recordMessage(queryClient, message(LOBBY, 7, ANN), ME);
    recordMessage(queryClient, message(LOBBY, 6, ANN), ME);
    recordMessage(queryClient, message(LOBBY, 8, BEN), ME);
    expect(
      queryClient
        .getQueryData<RoomMemberDto[]>(membersQueryKey(LOBBY))
        ?.map((entry) => entry.readSeq),
    ).toEqual([7, null]);
  });
});
