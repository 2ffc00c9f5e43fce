import type { AckCallback } from '../common/ack';
import type { MessageDto } from '../messages/message.dto';
import type {
  JoinRoomDto,
  JoinRoomResultDto,
  LeaveRoomDto,
  LeaveRoomResultDto,
  SendMessageDto,
  SystemMessageDto,
} from './chat-events.dto';

/**
 * Events a client emits. Every one answers through its acknowledgement with an `Ack` envelope;
 * the payload is validated on the server with the same class named here.
 */
export interface ClientToServerEvents {
  join_room: (payload: JoinRoomDto, ack: AckCallback<JoinRoomResultDto>) => void;
  leave_room: (payload: LeaveRoomDto, ack: AckCallback<LeaveRoomResultDto>) => void;
  send_message: (payload: SendMessageDto, ack: AckCallback<MessageDto>) => void;
}

/** Events the server pushes. */
export interface ServerToClientEvents {
  new_message: (message: MessageDto) => void;
  system_message: (notice: SystemMessageDto) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/** Largest socket frame the server accepts (Socket.IO `maxHttpBufferSize`). */
export const SOCKET_MAX_PAYLOAD_BYTES = 64 * 1024;
