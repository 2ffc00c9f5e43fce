import { useState } from 'react';
import type { UnreadCounted } from '../lib/unread-count';
import { useWindowAttention } from './use-window-attention';

/**
 * The read cursor "New messages" goes after: the one the room was opened with, kept while the
 * room stays open (reading moves the cursor, not the divider). `null` when the room opened with
 * nothing unread: what arrives while I am looking is not "new". Coming back to the window with
 * unread messages places it again, before the first of those. `undefined` until the room is
 * known and mine.
 */
export function useNewMessagesAnchor(room: UnreadCounted | undefined): number | null | undefined {
  const attentive = useWindowAttention();
  const [anchor, setAnchor] = useState<number | null | undefined>(undefined);
  const [wasAttentive, setWasAttentive] = useState(attentive);
  const mine = room !== undefined && room.role !== null;

  if (mine && anchor === undefined) setAnchor(room.lastSeq > room.readSeq ? room.readSeq : null);
  if (attentive !== wasAttentive) {
    setWasAttentive(attentive);
    if (attentive && mine && room.lastSeq > room.readSeq) setAnchor(room.readSeq);
  }
  return mine ? anchor : undefined;
}
