import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { MessageEvents } from '../messages/message-events';
import type { RoomEvent } from '../rooms/room-events';
import { RoomEvents } from '../rooms/room-events';
import type { ChatServer } from './chat-socket';
import { roomChannel, userChannel } from './channels';

/** Turns message and room domain events into socket effects and broadcasts. */
@Injectable()
export class ChatBroadcaster implements OnApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly messages: MessageEvents,
    private readonly rooms: RoomEvents,
  ) {}

  attach(server: ChatServer): void {
    this.subscription?.unsubscribe();
    this.subscription = new Subscription();
    this.subscription.add(
      this.messages.created$.subscribe(({ message, origin }) => {
        const room = server.to(roomChannel(message.room));
        // Every socket is in a socket.io room named by its id, so `except(origin)` skips exactly the
        // sending socket: it has the message in its ack, while the sender's other tabs still need it.
        (origin ? room.except(origin) : room).emit('new_message', message);
      }),
    );
    this.subscription.add(this.rooms.events$.subscribe((event) => applyRoomEvent(server, event)));
  }

  /** Late, so that writes finishing during shutdown are still broadcast. */
  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}

/**
 * Removals act before anything is announced: the removed user's sockets (every tab) leave the
 * room's channel first, so the notice to the room, and anything after it, never reaches them.
 */
export function applyRoomEvent(server: ChatServer, event: RoomEvent): void {
  switch (event.type) {
    case 'removed':
      for (const userId of event.userIds) {
        server.in(userChannel(userId)).socketsLeave(roomChannel(event.room));
        server
          .to(userChannel(userId))
          .emit('room_removed', { room: event.room, reason: event.reason });
      }
      return;
    case 'deleted':
      server.in(roomChannel(event.room)).socketsLeave(roomChannel(event.room));
      for (const userId of event.userIds) {
        server
          .to(userChannel(userId))
          .emit('room_removed', { room: event.room, reason: 'deleted' });
      }
      return;
    case 'added':
      server.to(userChannel(event.userId)).emit('room_added', { room: event.room });
      return;
    case 'updated':
      server.to(roomChannel(event.room.id)).emit('room_updated', { room: event.room });
      return;
    case 'member':
      server
        .to(roomChannel(event.room))
        .emit(
          'member_updated',
          event.member
            ? { room: event.room, userId: event.userId, member: event.member }
            : { room: event.room, userId: event.userId },
        );
      return;
  }
}
