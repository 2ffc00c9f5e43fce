import { useEffect, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  MemberUpdatedDto,
  NotificationsUpdatedDto,
  ReadReceiptDto,
  ReadStateDto,
  RoomAddedDto,
  RoomRemovalReason,
  RoomRemovedDto,
  RoomUpdatedDto,
  RoomViewDto,
} from '@parley/contracts';
import type { ChatConnection } from '@/lib/chat-connection';
import { useChatConnection } from '@/lib/connection-context';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { membersQueryKey } from '../api/members';
import { mergeRoom } from '../api/update-room';
import { recordNotifyLevel, recordReadReceipt, recordReadState } from '../lib/room-cache';
import { forgetRoom } from './use-my-rooms';

/**
 * The room is gone for this user (removed, or refused by `sync`): forget it and drop it from the
 * room list. The server has already taken every socket of mine out of it: nothing to send.
 */
export function dropRoom(
  queryClient: QueryClient,
  connection: ChatConnection,
  userId: string,
  room: string,
): void {
  forgetRoom(userId, room);
  connection.forgetRoom(room);
  queryClient.setQueryData<RoomViewDto[]>(roomsQueryKey, (rooms) =>
    rooms?.filter((listed) => listed.id !== room),
  );
  void queryClient.invalidateQueries({ queryKey: roomsQueryKey });
}

/**
 * Keeps the room list and room details in step with the server's room events for as long as it is
 * mounted: removals (kick, ban, deletion, leaving in another tab) drop the room everywhere at once;
 * read cursors (`read_state`, pushed to every tab of mine), members' receipts and my notification
 * levels update the cached rooms and members. New messages come through the delivery instead.
 */
export function useRoomEvents(
  userId: string,
  onRemoved: (room: string, reason: RoomRemovalReason) => void,
): void {
  const connection = useChatConnection();
  const queryClient = useQueryClient();
  const onRemovedRef = useRef(onRemoved);
  useEffect(() => {
    onRemovedRef.current = onRemoved;
  }, [onRemoved]);

  useEffect(() => {
    const { socket } = connection;
    const onRoomRemoved = ({ room, reason }: RoomRemovedDto) => {
      dropRoom(queryClient, connection, userId, room);
      onRemovedRef.current(room, reason);
    };
    const onRoomAdded = ({ room }: RoomAddedDto) => {
      queryClient.setQueryData(roomQueryKey(room.id), room);
      void queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    };
    const onRoomUpdated = ({ room }: RoomUpdatedDto) => {
      queryClient.setQueryData<RoomViewDto>(roomQueryKey(room.id), (previous) =>
        mergeRoom(previous, room),
      );
      void queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    };
    const onMemberUpdated = ({ room, userId: changed, member }: MemberUpdatedDto) => {
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(room) });
      if (changed === userId && member) {
        queryClient.setQueryData<RoomViewDto>(roomQueryKey(room), (previous) =>
          previous ? { ...previous, role: member.role } : previous,
        );
      }
    };
    const onReadState = (event: ReadStateDto) => recordReadState(queryClient, event);
    const onReadReceipt = (event: ReadReceiptDto) => recordReadReceipt(queryClient, event);
    const onNotificationsUpdated = (event: NotificationsUpdatedDto) =>
      recordNotifyLevel(queryClient, event);
    socket.on('room_removed', onRoomRemoved);
    socket.on('room_added', onRoomAdded);
    socket.on('room_updated', onRoomUpdated);
    socket.on('member_updated', onMemberUpdated);
    socket.on('read_state', onReadState);
    socket.on('read_receipt', onReadReceipt);
    socket.on('notifications_updated', onNotificationsUpdated);
    return () => {
      socket.off('room_removed', onRoomRemoved);
      socket.off('room_added', onRoomAdded);
      socket.off('room_updated', onRoomUpdated);
      socket.off('member_updated', onMemberUpdated);
      socket.off('read_state', onReadState);
      socket.off('read_receipt', onReadReceipt);
      socket.off('notifications_updated', onNotificationsUpdated);
    };
  }, [connection, queryClient, userId]);
}
