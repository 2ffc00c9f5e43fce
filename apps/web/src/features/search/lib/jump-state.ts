/** What a search result puts in the history entry of the room it opens: the message to show. */
export interface JumpLocationState {
  jumpTo: { room: string; seq: number };
}

export function jumpLocationState(room: string, seq: number): JumpLocationState {
  return { jumpTo: { room, seq } };
}

/** The seq to jump to in `room`, read from untrusted history state (it survives reloads). */
export function jumpTargetIn(state: unknown, room: string): number | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const target = (state as Partial<JumpLocationState>).jumpTo;
  if (typeof target !== 'object' || target === null || target.room !== room) return undefined;
  return Number.isInteger(target.seq) && target.seq > 0 ? target.seq : undefined;
}
