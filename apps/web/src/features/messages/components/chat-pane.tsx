import { useMemo } from 'react';
import { useNow } from '@/hooks/use-now';
import { describeError } from '@/lib/api-error';
import { useMessages } from '../api/get-messages';
import { useRoomLocalState } from '../hooks/local-messages-context';
import { useRoomOutbox } from '../hooks/message-delivery-context';
import { useSendMessage } from '../hooks/use-send-message';
import { flattenMessages } from '../lib/message-cache';
import { buildTimeline } from '../lib/timeline';
import { MessageComposer } from './message-composer';
import { MessageList } from './message-list';

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
      <MessageComposer
        key={roomId}
        onSend={send}
        disabled={!canSend}
        placeholder={canSend ? undefined : 'You cannot send to this room.'}
      />
    </div>
  );
}
