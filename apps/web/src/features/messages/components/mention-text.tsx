import type { ReactNode } from 'react';
import { findMentions, ROOM_MENTION, type MentionDto } from '@parley/contracts';

export interface MentionContext {
  mentions?: readonly MentionDto[];
  mentionsRoom?: boolean;
  myId?: string;
}

/**
 * One run of text with its mentions highlighted: only the `@names` the server resolved to members
 * (and `@room` when it counted), so an `@word` that is nobody stays plain. Returns text nodes and
 * spans only: React escapes them, so a message can never inject markup.
 */
export function highlightMentions(
  text: string,
  { mentions = [], mentionsRoom = false, myId }: MentionContext,
  keyPrefix = '',
): ReactNode[] {
  const resolved = new Map(mentions.map((mention) => [mention.username.toLowerCase(), mention]));
  const parts: ReactNode[] = [];
  let from = 0;
  for (const span of findMentions(text)) {
    const mention = resolved.get(span.name);
    const isRoom = span.name === ROOM_MENTION && mentionsRoom;
    if (!mention && !isRoom) continue;
    if (span.start > from) parts.push(text.slice(from, span.start));
    const mine = isRoom || mention?.userId === myId;
    parts.push(
      <span key={`${keyPrefix}${span.start}`} className={`mention${mine ? ' mention--me' : ''}`}>
        {text.slice(span.start, span.end)}
      </span>,
    );
    from = span.end;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** A plain text (no Markdown) with its mentions highlighted. */
export function MessageText({
  content,
  ...context
}: MentionContext & {
  content: string;
}) {
  return <>{highlightMentions(content, context)}</>;
}
