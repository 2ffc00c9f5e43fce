import { useEffect, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { MessageDto, RoomViewDto } from '@parley/contracts';
import { roomQueryKey, roomsQueryKey } from '@/features/rooms';
import { useChatConnection } from '@/lib/connection-context';
import { defaultNotifyLevel, notificationContent, shouldNotify } from '../lib/notification-rules';
import { useNotificationsServices } from './notifications-context';

/** The room as cached by the room page or the room list (whichever has it). */
function cachedRoom(queryClient: QueryClient, roomId: string): RoomViewDto | undefined {
  return (
    queryClient.getQueryData<RoomViewDto>(roomQueryKey(roomId)) ??
    queryClient.getQueryData<RoomViewDto[]>(roomsQueryKey)?.find((room) => room.id === roomId)
  );
}

/**
 * While mounted (by the shell, for the whole session): a desktop notification for each new
 * message the room's level asks for, when the page is hidden and the permission granted. The
 * level is read from the rooms cache at that moment (`notifications_updated` keeps it current in
 * every tab: see the rooms feature). Every tab of the user gets every message of their rooms, so
 * each hidden tab may show it: the message id as the tag makes the browser show it once.
 */
export function useDesktopNotifications(userId: string): void {
  const { socket } = useChatConnection();
  const queryClient = useQueryClient();
  const { api } = useNotificationsServices();
  const navigate = useNavigate();
  // The navigate function may change with the location; a listener must not be re-attached then.
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  }, [navigate]);

  useEffect(() => {
    const onNewMessage = (message: MessageDto) => {
      if (!api.isPageHidden() || api.permission() !== 'granted') return;
      const room = cachedRoom(queryClient, message.room);
      const level = room?.notify ?? defaultNotifyLevel(room?.kind);
      if (!shouldNotify(message, userId, level)) return;
      api.show(notificationContent(message, room), () => {
        window.focus();
        void navigateRef.current(`/rooms/${message.room}`);
      });
    };
    socket.on('new_message', onNewMessage);
    return () => {
      socket.off('new_message', onNewMessage);
    };
  }, [socket, queryClient, api, userId]);
}
