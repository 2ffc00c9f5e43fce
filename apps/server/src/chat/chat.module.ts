import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { RoomsModule } from '../rooms/rooms.module';
import { AckResponder } from './ack-responder';
import { ChatBroadcaster } from './chat-broadcaster';
import { ChatDrain } from './chat-drain';
import { ChatGateway } from './chat.gateway';
import { RoomMembership } from './room-membership';
import { SendMessageLimiter, SocketEventLimiter } from './socket-limiters';
import { TYPING_TIMES, TypingIndicators } from './typing-indicators';
import { TYPING_STORE } from './typing-store';
import { createTypingStore, DEFAULT_TYPING_TIMES } from './typing-store.factory';

@Module({
  imports: [RoomsModule, MessagesModule, PresenceModule],
  providers: [
    ChatGateway,
    RoomMembership,
    ChatBroadcaster,
    ChatDrain,
    AckResponder,
    SendMessageLimiter,
    SocketEventLimiter,
    TypingIndicators,
    { provide: TYPING_TIMES, useValue: DEFAULT_TYPING_TIMES },
    { provide: TYPING_STORE, inject: [AppConfig, TYPING_TIMES], useFactory: createTypingStore },
  ],
})
export class ChatModule {}
