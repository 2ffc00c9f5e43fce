import { useState } from 'react';
import { VisuallyHidden } from '@/components/ui/visually-hidden';
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
      className={`message${own ? ' message--own' : ''}${message.showSender ? '' : ' message--continued'}`}
      data-own={own ? 'true' : 'false'}
      data-status={status}
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
        {/* Plain text only: React escapes it, and CSS keeps the sender's line breaks. */}
        <p className="message__content">{message.content}</p>
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
