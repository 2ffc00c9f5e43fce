import { UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  DeleteMessageDto,
  EditMessageDto,
  JoinRoomDto,
  type JoinRoomResultDto,
  LeaveRoomDto,
  type LeaveRoomResultDto,
  MarkReadDto,
  type MessageDto,
  PinMessageDto,
  ReactDto,
  type ReadStateDto,
  SendMessageDto,
  SetPresenceDto,
  SOCKET_MAX_PAYLOAD_BYTES,
  SyncDto,
  type SyncResultDto,
  TypingDto,
  type TypingResultDto,
  type UserPresenceDto,
} from '@parley/contracts';
import { AccessTokenService } from '../common/auth/access-token.service';
import { MessageActionsService } from '../messages/message-actions.service';
import { MessagesService } from '../messages/messages.service';
import { ReadStateService } from '../messages/read-state.service';
import { PresenceService } from '../presence/presence.service';
import { RethrowToAckFilter } from './ack-responder';
import { ChatBroadcaster } from './chat-broadcaster';
import { ChatDrain } from './chat-drain';
import type { ChatServer, ChatSocket } from './chat-socket';
import { roomChannel } from './channels';
import { parsePayload } from './parse-payload';
import { RoomMembership } from './room-membership';
import { SendMessageLimiter, SocketEventLimiter } from './socket-limiters';
import { socketAuthMiddleware } from './socket-auth.middleware';
import { TypingIndicators } from './typing-indicators';

/**
 * Socket.IO transport. Handlers validate, call one service method and return; the socket adapter
 * (`bindPlainMessageHandlers` with `AckResponder`) wraps the return value or the error into the
 * `Ack` envelope.
 */
@WebSocketGateway({
  path: '/socket.io',
  serveClient: false,
  // Larger frames close the connection (socket.io's own limit), before any handler sees them.
  maxHttpBufferSize: SOCKET_MAX_PAYLOAD_BYTES,
})
@UseFilters(new RethrowToAckFilter())
@UseGuards(SocketEventLimiter)
export class ChatGateway implements OnGatewayInit<ChatServer>, OnGatewayConnection<ChatSocket> {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly membership: RoomMembership,
    private readonly messages: MessagesService,
    private readonly broadcaster: ChatBroadcaster,
    private readonly sendLimiter: SendMessageLimiter,
    private readonly drain: ChatDrain,
    private readonly typing: TypingIndicators,
    private readonly presence: PresenceService,
    private readonly reads: ReadStateService,
    private readonly actions: MessageActionsService,
  ) {}

  afterInit(server: ChatServer): void {
    this.drain.attach(server);
    server.use(socketAuthMiddleware(this.tokens));
    server.use(this.membership.loadRooms);
    this.broadcaster.attach(server);
    this.typing.attach(server);
  }

  handleConnection(socket: ChatSocket): void {
    // First and synchronously: no event of this socket is handled before it follows its rooms.
    this.membership.subscribe(socket);
    // Synchronously here and in `disconnecting`: the store sees a connection open before it closes.
    void this.presence.connect(socket.data.user.id, socket.id);
    // `disconnecting`, not `disconnect`: the socket still lists its rooms, so typing can be stopped.
    socket.on('disconnecting', () => {
      void this.typing.stopAllOf(socket);
      void this.presence.disconnect(socket.data.user.id, socket.id);
    });
  }

  @SubscribeMessage('join_room')
  async joinRoom(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<JoinRoomResultDto> {
    const { room } = parsePayload(JoinRoomDto, payload);
    return { room: await this.membership.join(socket, room) };
  }

  @SubscribeMessage('leave_room')
  async leaveRoom(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<LeaveRoomResultDto> {
    const { room } = parsePayload(LeaveRoomDto, payload);
    if (socket.rooms.has(roomChannel(room))) void this.typing.stop(room, socket.data.user);
    await this.membership.leave(socket, room);
    return { room };
  }

  @SubscribeMessage('send_message')
  async sendMessage(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<MessageDto> {
    const input = parsePayload(SendMessageDto, payload);
    this.membership.assertJoined(socket, input.room);
    await this.sendLimiter.consume(socket.data.user.id);
    const message = await this.messages.send(socket.data.user, input, {
      origin: socket.id,
      membership: 'verified-by-channel',
    });
    void this.typing.stop(input.room, socket.data.user);
    return message;
  }

  /** Authors only, within the room's edit window; the room gets `message_updated`. */
  @SubscribeMessage('edit_message')
  editMessage(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<MessageDto> {
    const input = parsePayload(EditMessageDto, payload);
    this.membership.assertJoined(socket, input.room);
    return this.actions.edit(socket.data.user, input);
  }

  /** The author or a moderator; answers the tombstone; the room gets `message_deleted`. */
  @SubscribeMessage('delete_message')
  deleteMessage(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<MessageDto> {
    const input = parsePayload(DeleteMessageDto, payload);
    this.membership.assertJoined(socket, input.room);
    return this.actions.remove(socket.data.user, input);
  }

  /** Add or remove one's own reaction (idempotent); the room gets `message_updated` on a change. */
  @SubscribeMessage('react')
  react(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<MessageDto> {
    const input = parsePayload(ReactDto, payload);
    this.membership.assertJoined(socket, input.room);
    return this.actions.react(socket.data.user, input);
  }

  /** Owners and moderators (either member of a direct room); the room gets `message_updated`. */
  @SubscribeMessage('pin_message')
  pinMessage(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<MessageDto> {
    const input = parsePayload(PinMessageDto, payload);
    this.membership.assertJoined(socket, input.room);
    return this.actions.pin(socket.data.user, input);
  }

  /**
   * Catch-up after a (re)connection or a gap: per room, what was stored after the client's cursor.
   * Reads only what the caller may read; rooms it may not are `refused`, not an error.
   */
  @SubscribeMessage('sync')
  sync(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<SyncResultDto> {
    return this.messages.sync(socket.data.user, parsePayload(SyncDto, payload));
  }

  @SubscribeMessage('typing')
  typingIndicator(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): TypingResultDto {
    const { room, isTyping } = parsePayload(TypingDto, payload);
    this.membership.assertJoined(socket, room);
    void (isTyping ? this.typing.start(socket, room) : this.typing.stop(room, socket.data.user));
    return { room };
  }

  /** This connection's user is active or idle; answers the user's resulting presence. */
  @SubscribeMessage('set_presence')
  setPresence(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<UserPresenceDto> {
    const { status } = parsePayload(SetPresenceDto, payload);
    return this.presence.report(socket.data.user.id, socket.id, status);
  }

  /**
   * The caller read `room` up to `seq` (clamped to the newest message; never backwards). Members
   * only (`not_a_member`); every tab of the caller gets `read_state` when the cursor moved.
   */
  @SubscribeMessage('mark_read')
  markRead(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() payload: unknown,
  ): Promise<ReadStateDto> {
    return this.reads.markRead(socket.data.user, parsePayload(MarkReadDto, payload));
  }
}
