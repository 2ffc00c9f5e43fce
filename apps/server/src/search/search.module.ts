import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Message, MessageSchema } from '../messages/message.schema';
import { RoomsModule } from '../rooms/rooms.module';
import { SearchBackfill, SearchBackfillSchema } from './search-backfill.schema';
import { SearchTokensBackfill } from './search-tokens-backfill';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

/** Message search: reads the messages collection through its `searchTokens` index. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Message.name, schema: MessageSchema },
      { name: SearchBackfill.name, schema: SearchBackfillSchema },
    ]),
    RoomsModule,
  ],
  controllers: [SearchController],
  providers: [SearchService, SearchTokensBackfill],
})
export class SearchModule {}
