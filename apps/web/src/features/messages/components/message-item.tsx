import { VisuallyHidden } from '@/components/ui/visually-hidden';
import type { Notice, TimelineMessage } from '../lib/timeline';

function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function MessageItem({
  message,
  onRetry,
}: {
  message: TimelineMessage;
  onRetry: (clientMessageId: string) => void;
}) {
  const { own, status } = message;
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
          {message.senderName}
        </p>
      )}
      <div className="message__bubble">
        {/* Plain text only: React escapes it, and CSS keeps the sender's line breaks. */}
        <p className="message__content">{message.content}</p>
      </div>
      <p className="message__meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        {status === 'pending' && <span className="message__status">Sending…</span>}
        {status === 'failed' && (
          <>
            <span className="message__status message__status--failed">
              Not sent{message.error ? `: ${message.error}` : ''}
            </span>
            <button
              type="button"
              className="button button--link"
              onClick={() => onRetry(message.clientMessageId)}
            >
              Retry
            </button>
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
