import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { MarkReadDto, ReadStateDto } from '@parley/contracts';
import type { Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { ReadCursorsService } from '../rooms/read-cursors.service';
import { Message } from './message.schema';
import { newestSeq } from './newest-seq';
import { ReadCursorWriter } from './read-cursor-writer';

/**
 * Read state on the messages side: `mark_read` is clamped to the newest stored message (read
 * from the messages index: the room's `lastSeq` summary may trail it), and senders' cursors
 * follow their own messages through a batching writer, so own messages never count as unread
 * and a send costs no extra round trip.
 */
@Injectable()
export class ReadStateService implements OnModuleDestroy {
  private readonly logger = new Logger(ReadStateService.name);
  private readonly ownMessages = new ReadCursorWriter(
    (advances) => this.cursors.advanceMany(advances),
    (error, advances) =>
      this.logger.error(`${advances.length} read cursors not moved: ${String(error)}`),
  );

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly cursors: ReadCursorsService,
  ) {}

  /** Never moves the cursor back; a seq beyond the newest message counts as the newest. */
  async markRead(reader: AuthUser, { room, seq }: MarkReadDto): Promise<ReadStateDto> {
    const newest = await newestSeq(this.messages, room);
    return this.cursors.advance(reader, room, Math.min(seq, newest));
  }

  /** The sender has read their own message (and so everything before it). */
  sent(room: string, senderId: string, seq: number): void {
    this.ownMessages.record({ room, userId: senderId, seq });
  }

  async onModuleDestroy(): Promise<void> {
    await this.ownMessages.flush();
  }
}
