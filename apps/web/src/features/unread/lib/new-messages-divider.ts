export interface DividerCandidate {
  /** Absent for a message not stored yet (my own, still sending). */
  seq?: number;
  own: boolean;
}

/**
 * Where "New messages" goes: before the first message of someone else after the cursor the
 * room was opened with. `undefined` when there is none — everything is read, or only my own
 * messages follow (they are read by being sent).
 */
export function firstUnreadSeq(
  messages: readonly DividerCandidate[],
  readSeqAtOpen: number,
): number | undefined {
  let first: number | undefined;
  for (const message of messages) {
    if (message.own || message.seq === undefined || message.seq <= readSeqAtOpen) continue;
    if (first === undefined || message.seq < first) first = message.seq;
  }
  return first;
}

/** Messages of others after everything the reader has seen: what "Jump to latest" counts. */
export function unreadBelow(messages: readonly DividerCandidate[], seenUpTo: number): number {
  return messages.filter(
    (message) => !message.own && message.seq !== undefined && message.seq > seenUpTo,
  ).length;
}
