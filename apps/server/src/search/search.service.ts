import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_ID_PATTERN,
  SEARCH_PAGE_DEFAULT,
  type SearchHitDto,
  type SearchMessagesQueryDto,
  type SearchResultDto,
} from '@parley/contracts';
import { type Model, Types, trusted } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { toMessageDto } from '../messages/message.mapper';
import { Message, type MessageRecord } from '../messages/message.schema';
import { matchQuery, queryTerms, termTokens, type SearchTerm } from '../messages/search-tokens';
import { RoomsService } from '../rooms/rooms.service';

/**
 * Candidates one request examines at most. Candidates that store every token but do not match
 * (CJK bigrams that are not neighbours, words longer than the indexed prefix) are rare; when a
 * page hits this bound it comes back short, with `nextBefore` to go on from where it stopped.
 */
const CANDIDATES_MAX = 500;

function invalid(field: string, message: string): AppException {
  return new AppException('validation_failed', message, {
    issues: [{ field, messages: [message] }],
  });
}

/**
 * The tokens to ask the index for, the most selective first: the index is read for that one
 * (an equality on the multikey field) and the rest are checked on the fetched documents. Longer
 * tokens are rarer (a one-letter prefix matches a large share of all messages).
 */
function tokensBySelectivity(terms: SearchTerm[]): string[] {
  const tokens = [...new Set(terms.flatMap(termTokens))];
  return tokens.sort((left, right) => [...right].length - [...left].length);
}

@Injectable()
export class SearchService {
  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly rooms: RoomsService,
  ) {}

  /**
   * Messages matching every term of `query.q`, newest first, in one room (which the reader may
   * read) or in every room the reader is a member of. Each page is read from the
   * `{searchTokens, room, _id}` index: one token, the rooms, `_id` below the cursor.
   */
  async searchMessages(reader: AuthUser, query: SearchMessagesQueryDto): Promise<SearchResultDto> {
    const terms = queryTerms(query.q);
    const [lead, ...rest] = tokensBySelectivity(terms);
    if (lead === undefined) throw invalid('q', 'q must contain a letter or a digit');
    if (query.before !== undefined && !MESSAGE_ID_PATTERN.test(query.before)) {
      throw invalid('before', 'before must be a nextBefore from an earlier page');
    }
    let rooms: string[];
    if (query.room === undefined) {
      rooms = await this.rooms.memberRoomIds(reader.id);
    } else {
      await this.rooms.accessToRead(query.room, reader);
      rooms = [query.room];
    }
    if (rooms.length === 0) return { items: [], nextBefore: null };

    const limit = query.limit ?? SEARCH_PAGE_DEFAULT;
    const filter = {
      // `$eq` gives the index its bounds; `$all` is MongoDB's "contains each of these".
      searchTokens: trusted(rest.length > 0 ? { $eq: lead, $all: rest } : { $eq: lead }),
      room: rooms.length === 1 ? rooms[0] : trusted({ $in: rooms }),
      // Deletes remove the tokens too; this keeps a tombstone out even if that write was lost.
      deletedAt: null,
    };
    const hits: SearchHitDto[] = [];
    let cursor = query.before === undefined ? undefined : new Types.ObjectId(query.before);
    let examined = 0;
    let exhausted = false;
    // One more hit than the page answers "is there another page?".
    while (hits.length <= limit && examined < CANDIDATES_MAX) {
      const batchSize = Math.min(limit + 1 - hits.length, CANDIDATES_MAX - examined);
      const batch = await this.messages
        .find(cursor === undefined ? filter : { ...filter, _id: trusted({ $lt: cursor }) })
        .sort({ _id: -1 })
        .limit(batchSize)
        .lean<MessageRecord[]>()
        .exec();
      for (const record of batch) {
        examined += 1;
        cursor = record._id;
        const highlights = matchQuery(record.content, terms);
        if (highlights) hits.push({ message: toMessageDto(record), highlights });
      }
      if (batch.length < batchSize) {
        exhausted = true;
        break;
      }
    }
    if (hits.length > limit) {
      const items = hits.slice(0, limit);
      return { items, nextBefore: items.at(-1)?.message.id ?? null };
    }
    // Stopped at the candidate bound: the next page goes on after the last one examined.
    return {
      items: hits,
      nextBefore: exhausted || cursor === undefined ? null : cursor.toHexString(),
    };
  }
}
