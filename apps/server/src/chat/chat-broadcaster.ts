import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { KeyedQueue } from '../messages/keyed-queue';
import { MessageEvents } from '../messages/message-events';
import { PresenceEvents } from '../presence/presence-events';
import type { PresenceTransition } from '../presence/presence-store';
import type { RoomEvent } from '../rooms/room-events';
import { RoomEvents } from '../rooms/room-events';
import { RoomsService } from '../rooms/rooms.service';
import type { ChatServer } from './chat-socket';
import { roomChannel, userChannel } from './channels';

/** Turns message and room domain events into socket effects and broadcasts. */
@Injectable()
export class ChatBroadcaster implements OnApplicationShutdown {
  private subscription?: Subscription;
  private readonly logger = new Logger(ChatBroadcaster.name);
  /** One user's presence announcements go out in the order they were decided. */
  private readonly presenceQueue = new KeyedQueue();

  constructor(
    private readonly messages: MessageEvents,
    private readonly rooms: RoomEvents,
    private readonly presence: PresenceEvents,
    private readonly roomsService: RoomsService,
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
    this.subscription.add(
      // The acting socket included: its ack and this carry the same version (clients keep the higher).
      this.messages.changed$.subscribe(({ kind, message }) => {
        server
          .to(roomChannel(message.room))
          .emit(kind === 'deleted' ? 'message_deleted' : 'message_updated', message);
      }),
    );
    this.subscription.add(this.rooms.events$.subscribe((event) => applyRoomEvent(server, event)));
    this.subscription.add(
      this.presence.transitions$.subscribe((transition) => {
        void this.announcePresence(server, transition);
      }),
    );
  }

  /**
   * To the channels of every room of the user, and their own (a user in no room still tells their
   * tabs): one emit to all of them, so a socket sharing several rooms with the user gets it once.
   */
  private announcePresence(server: ChatServer, { userId, presence }: PresenceTransition) {
    return this.presenceQueue
      .run(userId, async () => {
        const rooms = await this.roomsService.memberRoomIds(userId);
        server
          .to([userChannel(userId), ...rooms.map(roomChannel)])
          .emit('presence', { userId, ...presence });
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `presence of ${userId} not announced: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
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
      // A new member's sockets follow the room at once, on every instance (ADR 0010); for a role
      // change they are in the channel already and this changes nothing.
      if (event.member) server.in(userChannel(event.userId)).socketsJoin(roomChannel(event.room));
      server
        .to(roomChannel(event.room))
        .emit(
          'member_updated',
          event.member
            ? { room: event.room, userId: event.userId, member: event.member }
            : { room: event.room, userId: event.userId },
        );
      return;
    case 'notice':
      // The user's own tabs know already (the ack, `room_removed`), and only the room is told.
      server
        .to(roomChannel(event.room))
        .except(userChannel(event.user.id))
        .emit('system_message', {
          room: event.room,
          kind: event.kind,
          user: event.user,
          content: `${event.user.displayName} ${event.kind === 'join' ? 'joined' : 'left'}`,
          createdAt: new Date().toISOString(),
        });
      return;
    case 'read':
      server
        .to(userChannel(event.userId))
        .emit('read_state', { room: event.room, readSeq: event.readSeq });
      // The reader's own tabs have `read_state`; "seen by" is for the others.
      if (event.receipt) {
        server
          .to(roomChannel(event.room))
          .except(userChannel(event.userId))
          .emit('read_receipt', { room: event.room, userId: event.userId, readSeq: event.readSeq });
      }
      return;
    case 'notifications':
      server
        .to(userChannel(event.userId))
        .emit('notifications_updated', { room: event.room, level: event.level });
      return;
  }
}
