import type { QueryClient } from '@tanstack/react-query';
import type {
  MessageDto,
  NotificationsUpdatedDto,
  ReadReceiptDto,
  ReadStateDto,
  RoomMemberDto,
  RoomViewDto,
} from '@parley/contracts';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { membersQueryKey } from '../api/members';
import { withMessage, withReadSeq } from './room-view';

/** Applies a change to the room in the list and in its own cache entry, where they exist. */
function updateRoom(
  queryClient: QueryClient,
  roomId: string,
  update: (room: RoomViewDto) => RoomViewDto,
): void {
  queryClient.setQueryData<RoomViewDto[]>(roomsQueryKey, (rooms) => {
    if (!rooms?.some((room) => room.id === roomId)) return rooms;
    return rooms.map((room) => (room.id === roomId ? update(room) : room));
  });
  queryClient.setQueryData<RoomViewDto>(roomQueryKey(roomId), (room) =>
    room ? update(room) : room,
  );
}

/**
 * A message of a room of mine, from anywhere (live, acknowledged, caught up). Its sender has read
 * up to it: their "seen by" cursor follows, where it is shown (the server sends no `read_receipt`
 * for one's own messages — the message says it).
 */
export function recordMessage(queryClient: QueryClient, message: MessageDto, ownId: string): void {
  updateRoom(queryClient, message.room, (room) => withMessage(room, message, ownId));
  moveMemberCursor(queryClient, message.room, message.sender.id, message.seq, false);
}

/** `read_state` (any of my tabs marked the room read) or a `mark_read` answer. */
export function recordReadState(queryClient: QueryClient, { room, readSeq }: ReadStateDto): void {
  updateRoom(queryClient, room, (view) => withReadSeq(view, readSeq));
}

/** `notifications_updated`: my level for the room changed (in any tab). */
export function recordNotifyLevel(
  queryClient: QueryClient,
  { room, level }: NotificationsUpdatedDto,
): void {
  updateRoom(queryClient, room, (view) =>
    view.notify === level ? view : { ...view, notify: level },
  );
}

/** `read_receipt`: a member read further ("seen by"); a member's cursor never goes back. */
export function recordReadReceipt(
  queryClient: QueryClient,
  { room, userId, readSeq }: ReadReceiptDto,
): void {
  moveMemberCursor(queryClient, room, userId, readSeq, true);
}

/** A member's cursor only moves forward; a hidden one (`null`) is shown only by a receipt. */
function moveMemberCursor(
  queryClient: QueryClient,
  room: string,
  userId: string,
  readSeq: number,
  reveal: boolean,
): void {
  const members = queryClient.getQueryData<RoomMemberDto[]>(membersQueryKey(room));
  const member = members?.find((entry) => entry.user.id === userId);
  if (!member) return;
  if (member.readSeq === null ? !reveal : readSeq <= member.readSeq) return;
  queryClient.setQueryData<RoomMemberDto[]>(membersQueryKey(room), (current) =>
    current?.map((entry) => (entry.user.id === userId ? { ...entry, readSeq } : entry)),
  );
}
