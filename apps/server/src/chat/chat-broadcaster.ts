import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { MessageEvents } from '../messages/message-events';
import type { ChatServer } from './chat-socket';
import { roomChannel } from './channels';

/** Turns message domain events into `new_message` broadcasts. */
@Injectable()
export class ChatBroadcaster implements OnModuleDestroy {
  private subscription?: Subscription;

  constructor(private readonly events: MessageEvents) {}

  attach(server: ChatServer): void {
    this.subscription?.unsubscribe();
    this.subscription = this.events.created$.subscribe(({ message, origin }) => {
      const room = server.to(roomChannel(message.room));
      // Every socket is in a socket.io room named by its id, so `except(origin)` skips exactly the
      // sending socket: it has the message in its ack, while the sender's other tabs still need it.
      (origin ? room.except(origin) : room).emit('new_message', message);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
