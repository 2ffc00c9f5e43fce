import { Injectable } from '@nestjs/common';
import type { RoomViewDto, SystemMessageDto, SystemMessageKind } from '@parley/contracts';
import { AppException } from '../common/errors/app-exception';
import { RoomsService } from '../rooms/rooms.service';
import type { ChatSocket } from './chat-socket';
import { roomChannel, roomIdOfChannel } from './channels';

/**
 * Socket membership of rooms, and the join/leave notices. Only members get into a room's channel:
 * `join` asks the rooms service (which makes you a member of a public room, and refuses anyone
 * else), and removals take sockets out of the channel (see ChatBroadcaster).
 *
 * Notices are about users, not sockets: a second tab joining does not announce the user again, and
 * "left" is sent only when the user's last socket leaves. The joiner gets no notice of its own join.
 * Presence is read from this process's socket.io adapter, synchronously with the join or leave it
 * guards, so two tabs joining at once cannot both announce. Running several server processes would
 * need a shared presence store.
 */
@Injectable()
export class RoomMembership {
  constructor(private readonly rooms: RoomsService) {}

  async join(socket: ChatSocket, roomId: string): Promise<RoomViewDto> {
    const room = await this.rooms.join(socket.data.user, roomId);
    const channel = roomChannel(roomId);
    const alreadyPresent = this.userSocketsIn(socket, channel).length > 0;
    await socket.join(channel);
    // A kick or ban that landed between the check above and the join would leave this socket in
    // the channel of a room it no longer belongs to; checking again closes that window.
    try {
      await this.rooms.assertMember(roomId, socket.data.user);
    } catch (error) {
      await socket.leave(channel);
      throw error;
    }
    if (!alreadyPresent) this.announce(socket, roomId, 'join');
    return room;
  }

  async leave(socket: ChatSocket, roomId: string): Promise<void> {
    const channel = roomChannel(roomId);
    if (!socket.rooms.has(channel)) return;
    await socket.leave(channel);
    if (this.userSocketsIn(socket, channel).length === 0) this.announce(socket, roomId, 'leave');
  }

  /** Runs on `disconnecting`, while the socket still lists its rooms. */
  leaveAll(socket: ChatSocket): void {
    for (const channel of socket.rooms) {
      const roomId = roomIdOfChannel(channel);
      if (roomId === undefined) continue;
      const others = this.userSocketsIn(socket, channel).filter((id) => id !== socket.id);
      if (others.length === 0) this.announce(socket, roomId, 'leave');
    }
  }

  assertJoined(socket: ChatSocket, roomId: string): void {
    if (!socket.rooms.has(roomChannel(roomId))) {
      throw new AppException('not_in_room', `Join room "${roomId}" before sending to it`);
    }
  }

  private userSocketsIn(socket: ChatSocket, channel: string): string[] {
    const members = socket.nsp.adapter.rooms.get(channel) ?? new Set<string>();
    return [...members].filter((id) => {
      // `Socket.nsp` drops the SocketData type parameter; every socket here passed the same middleware.
      const member = socket.nsp.sockets.get(id) as ChatSocket | undefined;
      return member?.data.user.id === socket.data.user.id;
    });
  }

  private announce(socket: ChatSocket, roomId: string, kind: SystemMessageKind): void {
    const { user } = socket.data;
    const notice: SystemMessageDto = {
      room: roomId,
      kind,
      user: { id: user.id, username: user.username, displayName: user.displayName },
      content: `${user.displayName} ${kind === 'join' ? 'joined' : 'left'}`,
      createdAt: new Date().toISOString(),
    };
    // `socket.to` excludes this socket only; the user's other sockets are not in the room by now.
    socket.to(roomChannel(roomId)).emit('system_message', notice);
  }
}
