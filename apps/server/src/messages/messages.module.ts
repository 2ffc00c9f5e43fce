import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FilesModule } from '../files/files.module';
import { RoomsModule } from '../rooms/rooms.module';
import { MessageActionsService } from './message-actions.service';
import { MessageChange, MessageChangeSchema } from './message-change.schema';
import { MessageChangesService } from './message-changes.service';
import { MessageEvents } from './message-events';
import { Message, MessageSchema } from './message.schema';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { PinsController } from './pins.controller';
import { ReadStateService } from './read-state.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Message.name, schema: MessageSchema },
      { name: MessageChange.name, schema: MessageChangeSchema },
    ]),
    RoomsModule,
    FilesModule,
  ],
  controllers: [MessagesController, PinsController],
  providers: [
    MessagesService,
    MessageEvents,
    ReadStateService,
    MessageChangesService,
    MessageActionsService,
  ],
  exports: [MessagesService, MessageEvents, ReadStateService, MessageActionsService],
})
export class MessagesModule {}
