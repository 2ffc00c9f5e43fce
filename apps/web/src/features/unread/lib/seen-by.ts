export interface Reader {
  userId: string;
  displayName: string;
  /** `null`: this member does not share how far they read (or the room is too big). */
  readSeq: number | null;
}

export interface SeenMarker {
  /** The message it goes under. */
  seq: number;
  /** Who read it, in the order given. */
  names: string[];
}

/**
 * "Seen" under the newest of my messages that someone else has read, with everyone who read it.
 * `ownSeqs` are my stored messages; `readers` the room's members (I am left out by `ownId`).
 */
export function seenBy(
  ownSeqs: readonly number[],
  readers: readonly Reader[],
  ownId: string,
): SeenMarker | undefined {
  const others = readers.filter(
    (reader): reader is Reader & { readSeq: number } =>
      reader.userId !== ownId && reader.readSeq !== null,
  );
  if (others.length === 0) return undefined;
  const furthest = Math.max(...others.map((reader) => reader.readSeq));
  const seq = ownSeqs.filter((own) => own <= furthest).reduce((a, b) => Math.max(a, b), 0);
  if (seq === 0) return undefined;
  return {
    seq,
    names: others.filter((reader) => reader.readSeq >= seq).map((reader) => reader.displayName),
  };
}

/** Names shown before "and N others". */
const NAMES_SHOWN = 3;

/** "Seen" in a direct room (there is only one other person); "Seen by Ann, Ben" elsewhere. */
export function seenLabel(marker: SeenMarker, direct: boolean): string {
  if (direct) return 'Seen';
  const { names } = marker;
  if (names.length <= NAMES_SHOWN) return `Seen by ${names.join(', ')}`;
  const rest = names.length - NAMES_SHOWN;
  return `Seen by ${names.slice(0, NAMES_SHOWN).join(', ')} and ${rest} ${rest === 1 ? 'other' : 'others'}`;
}
