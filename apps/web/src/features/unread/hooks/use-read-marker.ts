import { useCallback, useEffect, useRef } from 'react';
import type { ReadStateDto } from '@parley/contracts';
import { useChatConnection, useConnectionSnapshot } from '@/lib/connection-context';
import { emitWithAck } from '@/lib/socket';
import { ReadMarker } from '../lib/read-marker';
import { useWindowAttention } from './use-window-attention';

interface Latest {
  /** `undefined` while the room is not mine (a public room before its join is answered). */
  readSeq: number | undefined;
  onReadState: ((state: ReadStateDto) => void) | undefined;
  attentive: boolean;
  /** The highest seq the list last reported on screen. */
  visibleSeq: number;
  marker: ReadMarker | null;
}

/**
 * Marks an open room read as its messages are seen. Returns the callback the message list calls
 * with the highest seq on screen; it becomes `mark_read` only while the window is visible and
 * focused and the room is mine (`readSeq` known), and again when attention, the connection or
 * the membership comes (back).
 */
export function useReadMarker(
  roomId: string,
  readSeq: number | undefined,
  onReadState?: (state: ReadStateDto) => void,
): (visibleSeq: number) => void {
  const connection = useChatConnection();
  const { generation } = useConnectionSnapshot();
  const attentive = useWindowAttention();
  const latest = useRef<Latest>({
    readSeq,
    onReadState,
    attentive,
    visibleSeq: 0,
    marker: null,
  });
  useEffect(() => {
    latest.current.readSeq = readSeq;
    latest.current.onReadState = onReadState;
    latest.current.attentive = attentive;
  });

  useEffect(() => {
    const state = latest.current;
    const marker = new ReadMarker({
      send: (seq) =>
        emitWithAck(connection.socket, 'mark_read', { room: roomId, seq }).then((answer) =>
          state.onReadState?.(answer),
        ),
      knownReadSeq: () => state.readSeq ?? 0,
    });
    state.marker = marker;
    return () => {
      // Leaving the room sends what the throttle still holds.
      marker.flush();
      if (state.marker === marker) state.marker = null;
    };
  }, [connection, roomId]);

  const mine = readSeq !== undefined;
  useEffect(() => {
    const { marker, visibleSeq } = latest.current;
    if (attentive && mine && visibleSeq > 0) marker?.seen(visibleSeq);
  }, [attentive, mine, generation]);

  return useCallback((visibleSeq: number) => {
    const state = latest.current;
    state.visibleSeq = visibleSeq;
    if (state.attentive && state.readSeq !== undefined) state.marker?.seen(visibleSeq);
  }, []);
}
