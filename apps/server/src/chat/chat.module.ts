import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { PresenceModule } from '../presence/presence.module';
import { RoomsModule } from '../rooms/rooms.module';
import { AckResponder } from './ack-responder';
import { ChatBroadcaster } from './chat-broadcaster';
import { ChatDrain } from './chat-drain';
import { ChatGateway } from './chat.gateway';
import { RoomMembership } from './room-membership';
import { SendMessageLimiter } from './send-message-limiter';
import { TypingIndicators } from './typing-indicators';

@Module({
  imports: [RoomsModule, MessagesModule, PresenceModule],
  providers: [
    ChatGateway,
    RoomMembership,
    ChatBroadcaster,
    ChatDrain,
    AckResponder,
    SendMessageLimiter,
    { provide: TypingIndicators, useFactory: () => new TypingIndicators() },
  ],
})
export class ChatModule {}
