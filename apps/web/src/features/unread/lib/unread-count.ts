import type { RoomViewDto } from '@parley/contracts';

export type UnreadCounted = Pick<RoomViewDto, 'lastSeq' | 'readSeq' | 'role'>;

/**
 * Messages of the room I have not read. My own messages move my cursor, so they never count.
 * A room I am not a member of counts nothing: its cursor is always 0.
 */
export function unreadCount(room: UnreadCounted): number {
  if (room.role === null) return 0;
  return Math.max(0, room.lastSeq - room.readSeq);
}

/** What the tab title counts: unread messages over my rooms that are not muted. */
export function titleUnreadCount(rooms: readonly (UnreadCounted & Pick<RoomViewDto, 'notify'>)[]) {
  return rooms.reduce(
    (total, room) => (room.notify === 'muted' ? total : total + unreadCount(room)),
    0,
  );
}

/** A badge stays narrow: beyond 99 the exact number no longer matters at a glance. */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

export const APP_TITLE = 'Parley';

/** "(3) Lobby · Parley": the unread count first, so it shows in a narrow tab. */
export function composeTitle(unread: number, page: string | null): string {
  const count = unread > 0 ? `(${unread}) ` : '';
  return page ? `${count}${page} · ${APP_TITLE}` : `${count}${APP_TITLE}`;
}
