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

/** A message of a room of mine, from anywhere (live, acknowledged, caught up). */
export function recordMessage(queryClient: QueryClient, message: MessageDto, ownId: string): void {
  updateRoom(queryClient, message.room, (room) => withMessage(room, message, ownId));
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
  queryClient.setQueryData<RoomMemberDto[]>(membersQueryKey(room), (members) =>
    members?.map((member) =>
      member.user.id === userId && (member.readSeq === null || readSeq > member.readSeq)
        ? { ...member, readSeq }
        : member,
    ),
  );
}
