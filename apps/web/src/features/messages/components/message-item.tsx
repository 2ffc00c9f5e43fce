import { useState, type ReactNode } from 'react';
import { findMentions, ROOM_MENTION, type MentionDto } from '@parley/contracts';
import { VisuallyHidden } from '@/components/ui/visually-hidden';
import { useSession } from '@/lib/session-store';
import type { Notice, TimelineMessage } from '../lib/timeline';

function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Someone else's name; clicking it offers "Message" (a direct conversation). */
function SenderName({
  name,
  username,
  onMessageUser,
}: {
  name: string;
  username?: string;
  onMessageUser?: (username: string) => void;
}) {
  const [open, setOpen] = useState(false);
  if (!onMessageUser || !username) return <>{name}</>;
  return (
    <>
      <button
        type="button"
        className="button button--link message__sender-button"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {name}
      </button>
      {open && (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            setOpen(false);
            onMessageUser(username);
          }}
        >
          Message
        </button>
      )}
    </>
  );
}

/**
 * The text with its mentions highlighted: only the `@names` the server resolved to members (and
 * `@room` when it counted), so an `@word` that is nobody stays plain. Text nodes only: React
 * escapes them, so a message can never inject markup.
 */
export function MessageText({
  content,
  mentions = [],
  mentionsRoom = false,
  myId,
}: {
  content: string;
  mentions?: readonly MentionDto[];
  mentionsRoom?: boolean;
  myId?: string;
}) {
  const resolved = new Map(mentions.map((mention) => [mention.username.toLowerCase(), mention]));
  const parts: ReactNode[] = [];
  let from = 0;
  for (const span of findMentions(content)) {
    const mention = resolved.get(span.name);
    const isRoom = span.name === ROOM_MENTION && mentionsRoom;
    if (!mention && !isRoom) continue;
    if (span.start > from) parts.push(content.slice(from, span.start));
    const mine = isRoom || mention?.userId === myId;
    parts.push(
      <span key={span.start} className={`mention${mine ? ' mention--me' : ''}`}>
        {content.slice(span.start, span.end)}
      </span>,
    );
    from = span.end;
  }
  if (from < content.length) parts.push(content.slice(from));
  return <>{parts}</>;
}

/** Someone else's message that names me or `@room`. */
export function mentionsMe(message: TimelineMessage, myId: string | undefined): boolean {
  if (message.own || myId === undefined) return false;
  return (
    message.mentionsRoom === true ||
    (message.mentions ?? []).some((mention) => mention.userId === myId)
  );
}

export function MessageItem({
  message,
  onRetry,
  onDiscard,
  onMessageUser,
}: {
  message: TimelineMessage;
  onRetry: (clientMessageId: string) => void;
  onDiscard?: (clientMessageId: string) => void;
  onMessageUser?: (username: string) => void;
}) {
  const { own, status } = message;
  const myId = useSession()?.user.id;
  const forMe = mentionsMe(message, myId);
  const actions = (
    <>
      <button
        type="button"
        className="button button--link"
        onClick={() => onRetry(message.clientMessageId)}
      >
        {status === 'failed' ? 'Retry' : 'Retry now'}
      </button>
      {onDiscard && (
        <button
          type="button"
          className="button button--link"
          onClick={() => onDiscard(message.clientMessageId)}
        >
          Discard
        </button>
      )}
    </>
  );
  return (
    <article
      className={`message${own ? ' message--own' : ''}${message.showSender ? '' : ' message--continued'}${forMe ? ' message--mentions-me' : ''}`}
      data-own={own ? 'true' : 'false'}
      data-status={status}
      data-mentions-me={forMe ? 'true' : undefined}
    >
      {own ? (
        <VisuallyHidden>You</VisuallyHidden>
      ) : (
        <p className={`message__sender${message.showSender ? '' : ' visually-hidden'}`}>
          <SenderName
            name={message.senderName}
            username={message.senderUsername}
            onMessageUser={onMessageUser}
          />
        </p>
      )}
      <div className="message__bubble">
        {forMe && <span className="message__mention-flag">Mentions you</span>}
        {/* Plain text only: React escapes it, and CSS keeps the sender's line breaks. */}
        <p className="message__content">
          <MessageText
            content={message.content}
            mentions={message.mentions}
            mentionsRoom={message.mentionsRoom}
            myId={myId}
          />
        </p>
      </div>
      <p className="message__meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        {status === 'pending' && !message.error && (
          <span className="message__status">Sending…</span>
        )}
        {/* Kept in the outbox and retried with backoff, also after a reload. */}
        {status === 'pending' && message.error && (
          <>
            <span className="message__status">Not sent yet, retrying: {message.error}</span>
            {actions}
          </>
        )}
        {status === 'failed' && (
          <>
            <span className="message__status message__status--failed">
              Not sent{message.error ? `: ${message.error}` : ''}
            </span>
            {actions}
          </>
        )}
      </p>
    </article>
  );
}

export function NoticeItem({ notice }: { notice: Notice }) {
  return (
    <p role="note" className="notice">
      {notice.content} <time dateTime={notice.createdAt}>{formatTime(notice.createdAt)}</time>
    </p>
  );
}
