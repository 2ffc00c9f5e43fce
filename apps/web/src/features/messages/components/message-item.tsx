import { useState } from 'react';
import { VisuallyHidden } from '@/components/ui/visually-hidden';
import { MessageAttachments } from '@/features/files';
import { describeError } from '@/lib/api-error';
import { useSession } from '@/lib/session-store';
import {
  messagePermissions,
  useMessageRoom,
  type MessageRoom,
} from '../hooks/message-room-context';
import type { Notice, TimelineMessage } from '../lib/timeline';
import { Markdown } from './markdown';
import { MessageActions } from './message-actions';
import { MessageEditor } from './message-editor';
import { ReactionBar, useLongPress } from './reaction-bar';
import { ReplyQuote } from './reply-preview';

export { MessageText } from './mention-text';

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

/** Someone else's message that names me or `@room`. */
export function mentionsMe(message: TimelineMessage, myId: string | undefined): boolean {
  if (message.own || myId === undefined) return false;
  return (
    message.mentionsRoom === true ||
    (message.mentions ?? []).some((mention) => mention.userId === myId)
  );
}

function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** The text of a message: Markdown, a tombstone, or the editor while editing. */
function MessageBody({
  message,
  myId,
  editing,
  onSaveEdit,
  onCancelEdit,
}: {
  message: TimelineMessage;
  myId: string | undefined;
  editing: boolean;
  onSaveEdit: (content: string) => Promise<unknown>;
  onCancelEdit: () => void;
}) {
  if (message.deleted) {
    return <p className="message__content message__content--deleted">Message deleted</p>;
  }
  if (editing) {
    return <MessageEditor initial={message.content} onSave={onSaveEdit} onCancel={onCancelEdit} />;
  }
  if (!message.content) return null;
  // Safe Markdown: React elements from markdown-it's tokens, never HTML; CSS keeps line breaks.
  return (
    <Markdown
      className="message__content"
      content={message.content}
      mentions={message.mentions}
      mentionsRoom={message.mentionsRoom}
      myId={myId}
    />
  );
}

/** Edit, delete, react, reply and pin, as far as this user may (the server checks the same). */
function storedMessageActions(
  message: TimelineMessage,
  room: MessageRoom | null,
  setEditing: (editing: boolean) => void,
  setError: (error: string | null) => void,
) {
  const { id, seq } = message;
  if (!room || id === undefined || seq === undefined || message.status !== 'sent') return null;
  const allowed = messagePermissions(room, message, Date.now());
  const run = (action: Promise<unknown>) => {
    setError(null);
    action.catch((reason: unknown) => setError(describeError(reason)));
  };
  const toggleReaction = (emoji: string, add: boolean) => run(room.actions.react(id, emoji, add));
  return {
    toggleReaction,
    canReact: allowed.react,
    toolbar: {
      pinned: Boolean(message.pinnedAt),
      onReply: allowed.reply
        ? () =>
            room.setReplyingTo({
              id,
              seq,
              sender: {
                id: message.senderId ?? '',
                username: message.senderUsername ?? '',
                displayName: message.senderName,
              },
              excerpt: Array.from(message.content.replace(/\s+/g, ' ').trim())
                .slice(0, 140)
                .join(''),
              deleted: false,
            })
        : undefined,
      onReact: allowed.react
        ? (emoji: string) => {
            const mine = message.reactions?.find((reaction) => reaction.emoji === emoji);
            // Picking an emoji I already reacted with keeps it (a toggle is on the chip).
            if (!mine?.userIds.includes(room.myId)) toggleReaction(emoji, true);
          }
        : undefined,
      onEdit: allowed.edit ? () => setEditing(true) : undefined,
      onDelete: allowed.remove ? () => run(room.actions.remove(id)) : undefined,
      onPin: allowed.pin ? () => run(room.actions.pin(id, !message.pinnedAt)) : undefined,
    },
  };
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
  const room = useMessageRoom();
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  /** Opened by a long-press on touch screens (which have no hover). */
  const [touchActions, setTouchActions] = useState(false);
  const longPress = useLongPress(() => setTouchActions(true)).handlers;
  const forMe = mentionsMe(message, myId);
  const stored = storedMessageActions(message, room, setEditing, setActionError);
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
      className={`message${own ? ' message--own' : ''}${message.showSender ? '' : ' message--continued'}${forMe ? ' message--mentions-me' : ''}${message.deleted ? ' message--deleted' : ''}${touchActions ? ' message--actions-open' : ''}`}
      data-own={own ? 'true' : 'false'}
      data-status={status}
      data-mentions-me={forMe ? 'true' : undefined}
      data-message-id={message.id}
      data-pinned={message.pinnedAt ? 'true' : undefined}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) {
          setTouchActions(false);
        }
      }}
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
      <div className="message__bubble" {...(stored && !message.deleted ? longPress : {})}>
        {forMe && <span className="message__mention-flag">Mentions you</span>}
        {message.pinnedAt && !message.deleted && <span className="message__pin-flag">Pinned</span>}
        {message.replyTo && (
          <ReplyQuote
            replyTo={message.replyTo}
            onJump={room ? (seq) => void room.jumpTo(seq) : undefined}
          />
        )}
        <MessageBody
          message={message}
          myId={myId}
          editing={editing}
          onSaveEdit={(content) =>
            room && message.id ? room.actions.edit(message.id, content) : Promise.resolve()
          }
          onCancelEdit={() => setEditing(false)}
        />
        {!message.deleted && message.attachments && message.attachments.length > 0 && (
          <MessageAttachments attachments={message.attachments} />
        )}
        {stored && !editing && !message.deleted && <MessageActions {...stored.toolbar} />}
      </div>
      {stored && !message.deleted && message.reactions && (
        <ReactionBar
          reactions={message.reactions}
          myId={myId}
          nameOf={room?.nameOf ?? (() => undefined)}
          canReact={stored.canReact}
          onToggle={stored.toggleReaction}
        />
      )}
      <p className="message__meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        {message.editedAt && !message.deleted && (
          <span className="message__edited" title={`Edited ${formatDateTime(message.editedAt)}`}>
            (edited)
          </span>
        )}
        {actionError && (
          <span role="alert" className="message__status message__status--failed">
            {actionError}
          </span>
        )}
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
