import { useEffect } from 'react';
import type { RoomViewDto } from '@parley/contracts';
import { documentTitle } from '../lib/document-title';
import { titleUnreadCount } from '../lib/unread-count';

/** The page's part of the tab title (a room's name) while mounted. */
export function usePageTitle(page: string | undefined): void {
  useEffect(() => {
    if (!page) return;
    documentTitle.setPage(page);
    return () => documentTitle.setPage(null);
  }, [page]);
}

/**
 * "(3) Parley": unread messages over my rooms that are not muted. Every tab gets `read_state`
 * and `new_message` for every room, so every tab's count is the same.
 */
export function useUnreadTitle(rooms: readonly RoomViewDto[] | undefined): void {
  const count = rooms ? titleUnreadCount(rooms) : 0;
  useEffect(() => documentTitle.setUnread(count), [count]);
  useEffect(() => () => documentTitle.setUnread(0), []);
}
