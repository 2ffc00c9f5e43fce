import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RoomsModule } from '../rooms/rooms.module';
import { MessageEvents } from './message-events';
import { Message, MessageSchema } from './message.schema';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { ReadStateService } from './read-state.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Message.name, schema: MessageSchema }]),
    RoomsModule,
  ],
  controllers: [MessagesController],
  providers: [MessagesService, MessageEvents, ReadStateService],
  exports: [MessagesService, MessageEvents, ReadStateService],
})
export class MessagesModule {}
