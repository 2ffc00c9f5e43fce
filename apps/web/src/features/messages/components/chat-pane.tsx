import { useMemo } from 'react';
import { useNow } from '@/hooks/use-now';
import { describeError } from '@/lib/api-error';
import { useMessages } from '../api/get-messages';
import { useRoomLocalState } from '../hooks/local-messages-context';
import { useRoomOutbox } from '../hooks/message-delivery-context';
import { useRoomTypists } from '../hooks/typing-context';
import { useSendMessage } from '../hooks/use-send-message';
import { useTypingSender } from '../hooks/use-typing-sender';
import { flattenMessages } from '../lib/message-cache';
import { buildTimeline } from '../lib/timeline';
import { MessageComposer } from './message-composer';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';

export interface ChatPaneProps {
  roomId: string;
  own: { id: string; displayName: string };
  /** False when the room cannot be joined: history may still show, but sending is pointless. */
  canSend: boolean;
  /** Opens a direct conversation with the author of a message. */
  onMessageUser?: (username: string) => void;
}

export function ChatPane({ roomId, own, canSend, onMessageUser }: ChatPaneProps) {
  const history = useMessages(roomId);
  const local = useRoomLocalState(roomId);
  const outbox = useRoomOutbox(roomId);
  const { send, retry, discard } = useSendMessage(roomId);
  const typists = useRoomTypists(roomId);
  const typing = useTypingSender(roomId);
  const now = useNow();

  const entries = useMemo(
    () =>
      buildTimeline({
        messages: flattenMessages(history.data),
        pending: outbox,
        notices: local.notices,
        own,
        now,
      }),
    [history.data, outbox, local, own, now],
  );

  // Unsent messages are shown even while the history cannot load (offline after a reload).
  let status;
  if (history.isPending) {
    status = <p className="message-list__empty">Loading messages…</p>;
  } else if (history.isError) {
    status = (
      <div className="message-list__empty" role="alert">
        <p>Could not load messages. {describeError(history.error)}</p>
        <button type="button" className="button" onClick={() => void history.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const placeholder = outbox.length === 0 ? status : undefined;

  return (
    <div className="chat-pane">
      <MessageList
        entries={entries}
        onRetry={retry}
        onDiscard={discard}
        historyStatus={placeholder ? undefined : status}
        onMessageUser={onMessageUser}
        hasOlder={history.hasNextPage}
        isLoadingOlder={history.isFetchingNextPage}
        onLoadOlder={() => void history.fetchNextPage()}
        placeholder={placeholder}
      />
      <TypingIndicator typists={typists} />
      <MessageComposer
        key={roomId}
        onSend={(content) => {
          // The server ends the indicator when the message arrives; the next keystroke starts anew.
          typing.reset();
          send(content);
        }}
        onDraftChange={(draft) => typing.draftChanged(draft)}
        onBlur={() => typing.stop()}
        disabled={!canSend}
        placeholder={canSend ? undefined : 'You cannot send to this room.'}
      />
    </div>
  );
}
