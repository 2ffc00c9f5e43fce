import type { TextRangeDto } from '@parley/contracts';
import { highlightParts } from '../lib/highlight';

/**
 * A search hit's text with its matches in `<mark>`. Text nodes only (React escapes them): the
 * content is whatever a member typed, and it must never become markup.
 */
export function HighlightedText({
  content,
  highlights,
  maxLength,
}: {
  content: string;
  highlights: readonly TextRangeDto[];
  maxLength?: number;
}) {
  return (
    <>
      {highlightParts(content, highlights, maxLength).map((part, index) =>
        part.match ? <mark key={index}>{part.text}</mark> : part.text,
      )}
    </>
  );
}
