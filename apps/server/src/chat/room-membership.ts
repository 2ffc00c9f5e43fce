import { Injectable, Logger } from '@nestjs/common';
import type { RoomViewDto } from '@parley/contracts';
import { AppException } from '../common/errors/app-exception';
import { RoomMembersService } from '../rooms/room-members.service';
import { RoomsService } from '../rooms/rooms.service';
import type { ChatSocket } from './chat-socket';
import { roomChannel, userChannel } from './channels';

/**
 * Which room channels a socket is in (ADR 0010): every room of its user, from the handshake on.
 * Only members get into a room's channel — the handshake reads the memberships, becoming a member
 * adds the user's sockets (ChatBroadcaster, on every instance), and removals take them out — so
 * being in the channel is what the send path checks.
 *
 * Join/leave notices are about membership and are published by the rooms services where the
 * membership changes; connecting, disconnecting and `join_room` by a member announce nothing.
 */
@Injectable()
export class RoomMembership {
  private readonly logger = new Logger(RoomMembership.name);

  constructor(
    private readonly rooms: RoomsService,
    private readonly members: RoomMembersService,
  ) {}

  /** Handshake middleware (after authentication): reads the user's rooms before the socket exists. */
  readonly loadRooms = (socket: ChatSocket, next: (error?: Error) => void): void => {
    this.rooms.memberRoomIds(socket.data.user.id).then(
      (roomIds) => {
        socket.data.roomIds = roomIds;
        next();
      },
      (error: unknown) => {
        this.logger.error(`Could not read the rooms of user ${socket.data.user.id}`, error);
        next(new Error('unavailable'));
      },
    );
  };

  /**
   * On connection, synchronously, so no event of this socket is handled before its channels are
   * joined. A membership removed while the handshake read was in flight would be missed by that
   * read (the removal's `socketsLeave` could not see this socket yet), so the rooms are read again
   * once the socket is in its user channel, and the channels corrected.
   */
  subscribe(socket: ChatSocket): void {
    const roomIds = socket.data.roomIds ?? [];
    delete socket.data.roomIds;
    void socket.join([userChannel(socket.data.user.id), ...roomIds.map(roomChannel)]);
    this.reconcile(socket, roomIds).catch((error: unknown) => {
      this.logger.error(`Could not re-check the rooms of socket ${socket.id}`, error);
    });
  }

  /**
   * `join_room`: a member (re)subscribes this socket; anyone not banned becomes a member of a
   * public room (and the room is told).
   */
  async join(socket: ChatSocket, roomId: string): Promise<RoomViewDto> {
    const room = await this.rooms.join(socket.data.user, roomId);
    const channel = roomChannel(roomId);
    await socket.join(channel);
    // A kick or ban that landed between the check above and the join would leave this socket in
    // the channel of a room it no longer belongs to; checking again closes that window.
    try {
      await this.rooms.assertMember(roomId, socket.data.user);
    } catch (error) {
      await socket.leave(channel);
      throw error;
    }
    return room;
  }

  /**
   * `leave_room`: leaves the room as a member (every tab gets `room_removed`, the room a notice).
   * Not being a member (banned included) or the room being gone is a harmless no-op.
   */
  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    try {
      await this.members.leave(socket.data.user, roomId);
    } catch (error) {
      const gone =
        error instanceof AppException &&
        (error.code === 'not_a_member' ||
          error.code === 'banned' ||
          error.code === 'room_not_found');
      if (!gone) throw error;
      await socket.leave(roomChannel(roomId));
    }
  }

  assertJoined(socket: ChatSocket, roomId: string): void {
    if (!socket.rooms.has(roomChannel(roomId))) {
      throw new AppException('not_in_room', `Join room "${roomId}" before sending to it`);
    }
  }

  /**
   * Only removes, and only channels joined from the handshake read: a channel joined since then
   * came from a membership event that this read may predate, and adding back a room missing from
   * the channels could undo a removal that happened after the read. (A membership added during the
   * handshake read reaches this socket with its next `join_room` or connection.)
   */
  private async reconcile(socket: ChatSocket, joined: readonly string[]): Promise<void> {
    const current = new Set(await this.rooms.memberRoomIds(socket.data.user.id));
    if (!socket.connected) return;
    for (const roomId of joined) {
      if (!current.has(roomId)) await socket.leave(roomChannel(roomId));
    }
  }
}
