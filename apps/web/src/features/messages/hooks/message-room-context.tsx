import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ReplyPreviewDto, RoomKind, RoomMemberDto, RoomRole } from '@parley/contracts';
import { useJumpToMessage } from './use-jump-to-message';
import { useMessageActions, type MessageActions } from './use-message-actions';

/** What a message of the room may offer, and how it reaches the room's composer and list. */
export interface MessageRoom {
  roomId: string;
  myId: string;
  myRole: RoomRole | null;
  kind: RoomKind | undefined;
  /** `null`: authors may always edit. */
  editWindowSeconds: number | null;
  /** A member's display name (for "who reacted"), or `undefined` for someone who left. */
  nameOf: (userId: string) => string | undefined;
  actions: MessageActions;
  /** The message being answered, shown above the composer; `null` when none. */
  replyingTo: ReplyPreviewDto | null;
  setReplyingTo: (target: ReplyPreviewDto | null) => void;
  jumpTo: (seq: number) => Promise<boolean>;
}

/** Exported for tests, which provide a room without a connection; the app uses the provider. */
export const MessageRoomContext = createContext<MessageRoom | null>(null);

export function MessageRoomProvider({
  roomId,
  myId,
  myRole,
  kind,
  editWindowSeconds,
  members,
  children,
}: {
  roomId: string;
  myId: string;
  myRole: RoomRole | null;
  kind: RoomKind | undefined;
  editWindowSeconds: number | null;
  members: readonly RoomMemberDto[] | undefined;
  children: ReactNode;
}) {
  const actions = useMessageActions(roomId);
  const jumpTo = useJumpToMessage(roomId);
  // Kept per room: switching rooms never carries a half-written reply along.
  const [reply, setReply] = useState<{ roomId: string; target: ReplyPreviewDto } | null>(null);
  const replyingTo = reply?.roomId === roomId ? reply.target : null;
  const value = useMemo((): MessageRoom => {
    const names = new Map(
      (members ?? []).map((member) => [member.user.id, member.user.displayName]),
    );
    return {
      roomId,
      myId,
      myRole,
      kind,
      editWindowSeconds,
      nameOf: (userId) => names.get(userId),
      actions,
      replyingTo,
      setReplyingTo: (target) => setReply(target ? { roomId, target } : null),
      jumpTo,
    };
  }, [roomId, myId, myRole, kind, editWindowSeconds, members, actions, replyingTo, jumpTo]);
  return <MessageRoomContext value={value}>{children}</MessageRoomContext>;
}

/** The room's message context; `null` outside a room (previews, tests of the bare list). */
export function useMessageRoom(): MessageRoom | null {
  return useContext(MessageRoomContext);
}

/** Who may do what with a message (the server checks the same rules). */
export function messagePermissions(
  room: Pick<MessageRoom, 'myRole' | 'kind' | 'editWindowSeconds'>,
  message: { own: boolean; createdAt: string; deleted?: boolean },
  now: number,
): { edit: boolean; remove: boolean; pin: boolean; react: boolean; reply: boolean } {
  const alive = !message.deleted;
  const moderator = room.myRole === 'owner' || room.myRole === 'moderator';
  const withinWindow =
    room.editWindowSeconds === null ||
    now - Date.parse(message.createdAt) < room.editWindowSeconds * 1000;
  const member = room.myRole !== null;
  return {
    edit: alive && message.own && withinWindow,
    // In a direct conversation only the author deletes; elsewhere owners and moderators too.
    remove: alive && (message.own || (moderator && room.kind !== 'direct')),
    pin: alive && member && (moderator || room.kind === 'direct'),
    react: alive && member,
    reply: alive && member,
  };
}
