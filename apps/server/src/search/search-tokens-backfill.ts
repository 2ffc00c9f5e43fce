import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, trusted } from 'mongoose';
import { Message, type MessageRecord } from '../messages/message.schema';
import { searchTokens } from '../messages/search-tokens';
import { SearchBackfill, type SearchBackfillRecord } from './search-backfill.schema';

/** The backfill's name; a new tokenizer that needs every message re-tokenized gets a new one. */
export const SEARCH_BACKFILL_ID = 'message-search-tokens-v1';
/** Messages read per batch: one `_id` range read and at most one bulk write each. */
const BATCH_SIZE = 500;
/** A progress line every this many batches. */
const LOG_EVERY_BATCHES = 20;

type BackfillCandidate = Pick<MessageRecord, '_id' | 'content' | 'searchTokens' | 'deletedAt'>;

export interface BackfillOutcome {
  /** Messages given tokens by this run. */
  updated: number;
  completed: boolean;
}

/**
 * Gives search tokens to messages stored before search existed. Runs in the background after
 * startup, in `_id` order and in batches, saving its position after each one: a restart resumes
 * where it stopped, and once it reached the end it never runs again (every message stored since
 * got its tokens when it was written). Safe with several instances at once: each write only
 * applies to a message that still has no tokens and the text the tokens were made from.
 */
@Injectable()
export class SearchTokensBackfill implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SearchTokensBackfill.name);
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    @InjectModel(SearchBackfill.name) private readonly state: Model<SearchBackfill>,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().catch((error: unknown) =>
      this.logger.error(`Search token backfill stopped: ${String(error)}`),
    );
  }

  /** Shutdown waits for the batch in progress, then the next start resumes after it. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async run(): Promise<BackfillOutcome> {
    const saved = await this.state.findById(SEARCH_BACKFILL_ID).lean<SearchBackfillRecord>().exec();
    if (saved?.completedAt) return { updated: 0, completed: true };
    let after = saved?.after;
    let total = saved?.updated ?? 0;
    let updated = 0;
    if (after) this.logger.log(`Search token backfill resumes after ${after.toHexString()}`);
    for (let batchNumber = 1; !this.stopping; batchNumber += 1) {
      const batch = await this.messages
        .find(after ? { _id: trusted({ $gt: after }) } : {}, {
          content: 1,
          searchTokens: 1,
          deletedAt: 1,
        })
        .sort({ _id: 1 })
        .limit(BATCH_SIZE)
        .lean<BackfillCandidate[]>()
        .exec();
      const modified = await this.tokenize(batch);
      updated += modified;
      total += modified;
      after = batch.at(-1)?._id ?? after;
      const completed = batch.length < BATCH_SIZE;
      await this.state
        .updateOne(
          { _id: SEARCH_BACKFILL_ID },
          {
            $set: {
              ...(after ? { after } : {}),
              updated: total,
              ...(completed ? { completedAt: new Date() } : {}),
            },
          },
          { upsert: true },
        )
        .exec();
      if (completed) {
        if (total > 0) this.logger.log(`Search token backfill done: ${total} messages`);
        return { updated, completed: true };
      }
      if (batchNumber % LOG_EVERY_BATCHES === 0) {
        this.logger.log(`Search token backfill: ${total} messages so far`);
      }
    }
    return { updated, completed: false };
  }

  private async tokenize(batch: BackfillCandidate[]): Promise<number> {
    const writes = batch.flatMap((record) => {
      if (record.searchTokens !== undefined || record.deletedAt !== undefined) return [];
      const tokens = searchTokens(record.content);
      if (tokens.length === 0) return [];
      return [
        {
          updateOne: {
            // Only if nobody edited, deleted or tokenized it since it was read.
            filter: {
              _id: record._id,
              content: record.content,
              searchTokens: trusted({ $exists: false }),
              deletedAt: null,
            },
            update: { $set: { searchTokens: tokens } },
          },
        },
      ];
    });
    if (writes.length === 0) return 0;
    const result = await this.messages.bulkWrite(writes, { ordered: false });
    return result.modifiedCount;
  }
}
