import { useMemo } from 'react';
import type { ReadStateDto, RoomMemberDto, RoomViewDto } from '@parley/contracts';
import {
  firstUnreadSeq,
  seenBy,
  seenLabel,
  useNewMessagesAnchor,
  useReadMarker,
} from '@/features/unread';
import { FileDropZone, useUploadQueue } from '@/features/files';
import { useSearchJump } from '@/features/search';
import { useNow } from '@/hooks/use-now';
import { describeError } from '@/lib/api-error';
import { useMessages } from '../api/get-messages';
import { useRoomLocalState } from '../hooks/local-messages-context';
import { MessageRoomProvider } from '../hooks/message-room-context';
import { useRoomOutbox } from '../hooks/message-delivery-context';
import { useRoomTypists } from '../hooks/typing-context';
import { useJumpToMessage } from '../hooks/use-jump-to-message';
import { useSendMessage } from '../hooks/use-send-message';
import { useTypingSender } from '../hooks/use-typing-sender';
import { flattenMessages } from '../lib/message-cache';
import { buildTimeline } from '../lib/timeline';
import { MessageComposer } from './message-composer';
import { MessageList, type SeenByMarker } from './message-list';
import { PinnedBar } from './pinned-bar';
import { TypingIndicator } from './typing-indicator';

export interface ChatPaneProps {
  roomId: string;
  own: { id: string; displayName: string };
  /** False when the room cannot be joined: history may still show, but sending is pointless. */
  canSend: boolean;
  /** Opens a direct conversation with the author of a message. */
  onMessageUser?: (username: string) => void;
  /** The room as I see it (read cursor, kind); `undefined` while it loads. */
  room?: RoomViewDto;
  /** The room's members with how far they read, for "Seen"; `undefined` while they load. */
  members?: RoomMemberDto[];
  /** The answer to `mark_read`: my cursor of the room, to put in the caches. */
  onReadState?: (state: ReadStateDto) => void;
}

export function ChatPane({
  roomId,
  own,
  canSend,
  onMessageUser,
  room,
  members,
  onReadState,
}: ChatPaneProps) {
  const history = useMessages(roomId);
  const local = useRoomLocalState(roomId);
  const outbox = useRoomOutbox(roomId);
  const { send, retry, discard } = useSendMessage(roomId);
  const typists = useRoomTypists(roomId);
  const typing = useTypingSender(roomId);
  const now = useNow();
  // Not mine (a public room before its join is answered): nothing to mark, nothing unread.
  const readSeq = room?.role ? room.readSeq : undefined;
  const onVisibleSeq = useReadMarker(roomId, readSeq, onReadState);
  const anchor = useNewMessagesAnchor(room);
  const uploads = useUploadQueue(roomId);
  // Opened from a search result: show that message once the history is in.
  const searchJump = useSearchJump(roomId, history.isSuccess, useJumpToMessage(roomId));

  const messages = useMemo(() => flattenMessages(history.data), [history.data]);
  const entries = useMemo(
    () => buildTimeline({ messages, pending: outbox, notices: local.notices, own, now }),
    [messages, outbox, local, own, now],
  );

  const ownId = own.id;
  const newMessagesBefore = useMemo(() => {
    if (anchor === undefined || anchor === null) return anchor;
    const candidates = messages.map((message) => ({
      seq: message.seq,
      own: message.sender.id === ownId,
    }));
    return firstUnreadSeq(candidates, anchor) ?? null;
  }, [anchor, messages, ownId]);

  const direct = room?.kind === 'direct';
  const seen = useMemo((): SeenByMarker | undefined => {
    if (!members) return undefined;
    const ownSeqs = messages
      .filter((message) => message.sender.id === ownId)
      .map((message) => message.seq);
    const readers = members.map((member) => ({
      userId: member.user.id,
      displayName: member.user.displayName,
      readSeq: member.readSeq,
    }));
    const marker = seenBy(ownSeqs, readers, ownId);
    return marker && { seq: marker.seq, label: seenLabel(marker, direct) };
  }, [members, messages, ownId, direct]);

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

  const myRole = members?.find((member) => member.user.id === ownId)?.role ?? room?.role ?? null;

  return (
    <MessageRoomProvider
      roomId={roomId}
      myId={ownId}
      myRole={myRole}
      kind={room?.kind}
      editWindowSeconds={room?.editWindowSeconds ?? null}
      members={members}
    >
      <FileDropZone className="chat-pane" onFiles={uploads.add} disabled={!canSend}>
        <PinnedBar roomId={roomId} userId={ownId} />
        {searchJump.failed && (
          <p className="room__join-error" role="alert">
            That message could not be shown (it may have been deleted).
          </p>
        )}
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
          newMessagesBefore={newMessagesBefore}
          seenBy={seen}
          readSeq={readSeq ?? 0}
          onVisibleSeq={onVisibleSeq}
        />
        <TypingIndicator typists={typists} />
        <MessageComposer
          key={roomId}
          roomId={roomId}
          onSend={(content, options) => {
            // The server ends the indicator when the message arrives; the next keystroke starts anew.
            typing.reset();
            // Files uploaded for this message go with it (their ids, into the outbox entry).
            send(content, { ...options, attachments: uploads.take().map((file) => file.id) });
          }}
          uploads={uploads}
          onDraftChange={(draft) => typing.draftChanged(draft)}
          onBlur={() => typing.stop()}
          disabled={!canSend}
          placeholder={canSend ? undefined : 'You cannot send to this room.'}
        />
      </FileDropZone>
    </MessageRoomProvider>
  );
}
