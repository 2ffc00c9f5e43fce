import type { TextRangeDto } from '@parley/contracts';

export interface TextPart {
  text: string;
  /** A stretch that matched the search. */
  match: boolean;
}

/** Ranges clamped to the text, sorted, overlapping or touching ones merged, empty ones dropped. */
export function normalizeRanges(ranges: readonly TextRangeDto[], length: number): TextRangeDto[] {
  const sorted = ranges
    .map(({ start, end }) => ({
      start: Math.max(0, Math.min(start, length)),
      end: Math.max(0, Math.min(end, length)),
    }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextRangeDto[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Never cut a surrogate pair (an emoji, a rare CJK character) in two. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return index > 0 && index < text.length && code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * The text split into plain and matched parts (the server's `highlights`, in UTF-16 units). When
 * it is longer than `maxLength`, a window around the first match, with "…" where it was cut.
 */
export function highlightParts(
  content: string,
  ranges: readonly TextRangeDto[],
  maxLength = Number.POSITIVE_INFINITY,
): TextPart[] {
  const matches = normalizeRanges(ranges, content.length);
  let from = 0;
  let to = content.length;
  if (content.length > maxLength) {
    // Some context before the first match, the rest after it.
    const first = matches.at(0)?.start ?? 0;
    from = safeIndex(
      content,
      Math.max(0, Math.min(first - Math.floor(maxLength / 4), content.length - maxLength)),
    );
    to = safeIndex(content, Math.min(content.length, from + maxLength));
  }
  const parts: TextPart[] = [];
  const push = (text: string, match: boolean) => {
    if (text) parts.push({ text, match });
  };
  if (from > 0) push('…', false);
  let at = from;
  for (const { start, end } of matches) {
    if (end <= from || start >= to) continue;
    const matchStart = Math.max(start, from);
    const matchEnd = Math.min(end, to);
    push(content.slice(at, matchStart), false);
    push(content.slice(matchStart, matchEnd), true);
    at = matchEnd;
  }
  push(content.slice(at, to), false);
  if (to < content.length) push('…', false);
  return parts;
}
