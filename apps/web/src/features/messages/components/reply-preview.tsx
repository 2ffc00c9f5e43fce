import type { ReplyPreviewDto } from '@parley/contracts';

/** The quoted message above a reply; clicking it jumps to the original. */
export function ReplyQuote({
  replyTo,
  onJump,
}: {
  replyTo: ReplyPreviewDto;
  onJump?: (seq: number) => void;
}) {
  const text = replyTo.deleted ? 'Message deleted' : replyTo.excerpt;
  return (
    <button
      type="button"
      className="reply-quote"
      aria-label={`Reply to ${replyTo.sender.displayName}: ${text}. Show the original`}
      onClick={() => onJump?.(replyTo.seq)}
      disabled={!onJump}
    >
      <span className="reply-quote__sender">{replyTo.sender.displayName}</span>
      <span className={`reply-quote__text${replyTo.deleted ? ' reply-quote__text--deleted' : ''}`}>
        {text}
      </span>
    </button>
  );
}

/** Above the composer while writing a reply: what is being answered, and a way out. */
export function ComposerReplyPreview({
  replyTo,
  onCancel,
}: {
  replyTo: ReplyPreviewDto;
  onCancel: () => void;
}) {
  return (
    <div className="composer-reply" role="group" aria-label="Replying to">
      <p className="composer-reply__text">
        Replying to <strong>{replyTo.sender.displayName}</strong>:{' '}
        <span className="composer-reply__excerpt">{replyTo.excerpt}</span>
      </p>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-label="Cancel reply"
        onClick={onCancel}
      >
        ✕
      </button>
    </div>
  );
}
