import type { AckCallback } from '../common/ack';
import type { MessageDto } from '../messages/message.dto';
import type {
  JoinRoomDto,
  JoinRoomResultDto,
  LeaveRoomDto,
  LeaveRoomResultDto,
  MemberUpdatedDto,
  RoomAddedDto,
  RoomRemovedDto,
  RoomUpdatedDto,
  SendMessageDto,
  SystemMessageDto,
} from './chat-events.dto';
import type { SetPresenceDto, UserPresenceDto } from '../users/presence.dto';
import type {
  MarkReadDto,
  NotificationsUpdatedDto,
  ReadReceiptDto,
  ReadStateDto,
} from './read-state.dto';
import type {
  DeleteMessageDto,
  EditMessageDto,
  PinMessageDto,
  ReactDto,
} from './message-actions.dto';
import type { SyncDto, SyncResultDto } from './sync.dto';
import type { TypingDto, TypingResultDto, UserTypingDto } from './typing.dto';

/**
 * Events a client emits. Every one answers through its acknowledgement with an `Ack` envelope;
 * the payload is validated on the server with the same class named here.
 */
export interface ClientToServerEvents {
  join_room: (payload: JoinRoomDto, ack: AckCallback<JoinRoomResultDto>) => void;
  leave_room: (payload: LeaveRoomDto, ack: AckCallback<LeaveRoomResultDto>) => void;
  /**
   * Idempotent: a resend with the same `clientMessageId` answers with the stored original. The ack
   * comes only after the write is durable; the broadcast follows the write.
   */
  send_message: (payload: SendMessageDto, ack: AckCallback<MessageDto>) => void;
  /** Catch-up after a (re)connection or a gap; see `SyncDto`. */
  sync: (payload: SyncDto, ack: AckCallback<SyncResultDto>) => void;
  /** Start/refresh (`isTyping: true`) or stop a typing indicator; the socket must be in the room. */
  typing: (payload: TypingDto, ack: AckCallback<TypingResultDto>) => void;
  /** Move the caller's read cursor forward (never back); see `MarkReadDto`. */
  mark_read: (payload: MarkReadDto, ack: AckCallback<ReadStateDto>) => void;
  /** This connection's user is active or idle; answers with the user's resulting presence. */
  set_presence: (payload: SetPresenceDto, ack: AckCallback<UserPresenceDto>) => void;
  /** Answers with the changed message; the room gets `message_updated`. */
  edit_message: (payload: EditMessageDto, ack: AckCallback<MessageDto>) => void;
  /** Answers with the tombstone; the room gets `message_deleted`. */
  delete_message: (payload: DeleteMessageDto, ack: AckCallback<MessageDto>) => void;
  /** Add or remove one's reaction; answers with the message; the room gets `message_updated`. */
  react: (payload: ReactDto, ack: AckCallback<MessageDto>) => void;
  /** Pin or unpin; answers with the message; the room gets `message_updated`. */
  pin_message: (payload: PinMessageDto, ack: AckCallback<MessageDto>) => void;
}

/** Events the server pushes. */
export interface ServerToClientEvents {
  /** To the room, except the sending socket (it has the message in its ack). */
  new_message: (message: MessageDto) => void;

  system_message: (notice: SystemMessageDto) => void;
  /** To the room, except the typist's own sockets. */
  user_typing: (event: UserTypingDto) => void;
  /** To the user's own channel (every tab). */
  room_added: (event: RoomAddedDto) => void;
  /** To the user's own channel (every tab); the sockets already left the room. */
  room_removed: (event: RoomRemovedDto) => void;
  /** To the room: rename or topic. */
  room_updated: (event: RoomUpdatedDto) => void;
  /** To the room: a member joined, changed role, or was removed. */
  member_updated: (event: MemberUpdatedDto) => void;
  /** To everyone who shares a room with the user (their own tabs included). */
  presence: (event: UserPresenceDto) => void;
  /** To the user's own channel (every tab): their read cursor of a room moved. */
  read_state: (event: ReadStateDto) => void;
  /** To the room (direct and small rooms only): a member read up to a seq. */
  read_receipt: (event: ReadReceiptDto) => void;
  /** To the user's own channel (every tab). */
  notifications_updated: (event: NotificationsUpdatedDto) => void;
  /**
   * To the room, the acting socket included: the whole message after an edit, a reaction or a
   * (un)pin. Keep it unless a copy with a higher `version` is held.
   */
  message_updated: (message: MessageDto) => void;
  /** To the room, the acting socket included: the tombstone of a deleted message. */
  message_deleted: (message: MessageDto) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/** Largest socket frame the server accepts (Socket.IO `maxHttpBufferSize`). */
export const SOCKET_MAX_PAYLOAD_BYTES = 64 * 1024;
