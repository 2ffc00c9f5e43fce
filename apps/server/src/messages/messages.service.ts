import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_PAGE_DEFAULT,
  SYNC_PAGE_DEFAULT,
  type ListMessagesQueryDto,
  type MessageDto,
  type MessagePageDto,
  type RoomSyncDto,
  type RoomSyncRefusalDto,
  type SendMessageDto,
  type SyncDto,
  type SyncResultDto,
} from '@parley/contracts';
import { Types, trusted, type Model } from 'mongoose';
import type { Subscription } from 'rxjs';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RoomEvents } from '../rooms/room-events';
import { RoomsService } from '../rooms/rooms.service';
import { KeyedQueue } from './keyed-queue';
import { RoomSummaryWriter } from './room-summary-writer';
import { MessageEvents } from './message-events';
import { toMessageDto } from './message.mapper';
import { Message, type MessageRecord } from './message.schema';

export interface SendOptions {
  /** The sending socket: it gets the message in its ack, so the broadcast skips it. */
  origin?: string;
  /**
   * `'check'` reads the membership from the database. `'verified-by-channel'` is for the gateway:
   * only members get into a room's socket channel, and every removal (kick, ban, leave, delete)
   * takes the user's sockets out of it on every instance, so being in the channel is a membership
   * cache that removals invalidate — and a send costs no membership reads.
   */
  membership?: 'check' | 'verified-by-channel';
}

/** Seq conflicts one send survives before giving up with `unavailable` (each means another writer won). */
const SEQ_ATTEMPTS = 50;
const NEXT_SEQ_CACHE_SIZE = 10_000;

@Injectable()
export class MessagesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessagesService.name);
  private subscription?: Subscription;
  /** Sends to one room take their seq one at a time in this process. */
  private readonly sends = new KeyedQueue();
  private readonly summaries = new RoomSummaryWriter(
    (room, seq, at) => this.rooms.recordMessage(room, seq, at),
    (room, error) => this.logger.error(`Room ${room}: lastSeq not updated: ${String(error)}`),
  );
  /** Sends being stored, by (room, sender, clientMessageId). */
  private readonly inFlight = new Map<
    string,
    Promise<{ kind: 'stored' | 'resend'; message: MessageDto }>
  >();
  /** Per room, the seq this process expects to be free next (a hint: the index decides). */
  private readonly nextSeq = new Map<string, number>();

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly rooms: RoomsService,
    private readonly events: MessageEvents,
    private readonly roomEvents: RoomEvents,
  ) {}

  /** Both unique indexes must exist before the first send: they are what makes seq and resends safe. */
  async onModuleInit(): Promise<void> {
    await this.messages.init();
    // A deleted room takes its history with it.
    this.subscription = this.roomEvents.events$.subscribe((event) => {
      if (event.type !== 'deleted') return;
      this.nextSeq.delete(event.room);
      this.messages
        .deleteMany({ room: event.room })
        .exec()
        .catch((error: unknown) =>
          this.logger.error(`Deleting the messages of room ${event.room} failed: ${String(error)}`),
        );
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.summaries.flush();
  }

  /**
   * Stores a message (input already validated) and publishes it. A resend of a stored
   * `clientMessageId` stores nothing and returns the original, so retries are free. Resolves only
   * once the write is durable (the connection's write concern); the broadcast follows the write.
   */
  async send(
    sender: AuthUser,
    input: SendMessageDto,
    { origin, membership = 'check' }: SendOptions = {},
  ): Promise<MessageDto> {
    if (membership === 'check') await this.rooms.assertMember(input.room, sender);
    // No lookup first: the unique (room, sender, clientMessageId) index recognises a resend in
    // the insert itself, which saves a round trip on every first send.
    const { message, kind } = await this.storeOnce(sender, input);
    // A resend is announced again: if the process that stored the original died before its
    // broadcast, this is how the room learns of it now rather than at its next gap. Receivers
    // de-duplicate by id.
    this.events.publishCreated({ message, origin });
    if (kind === 'stored') {
      // The room's lastSeq and activity time are a summary for room lists: written at once for a
      // quiet room, once a second for a busy one (see RoomSummaryWriter).
      await this.summaries.record(message.room, message.seq, new Date(message.createdAt));
    }
    return message;
  }

  /**
   * A resend that arrives while its original is still queued or being written (a client whose ack
   * timed out under load) joins that attempt instead of queueing behind it a second time.
   */
  private storeOnce(
    sender: AuthUser,
    input: SendMessageDto,
  ): Promise<{ kind: 'stored' | 'resend'; message: MessageDto }> {
    const key = `${input.room} ${sender.id} ${input.clientMessageId}`;
    const running = this.inFlight.get(key);
    if (running) {
      return running.then(({ message }) => ({ kind: 'resend' as const, message }));
    }
    const attempt = this.sends.run(input.room, () => this.insertNext(sender, input));
    this.inFlight.set(key, attempt);
    void attempt
      .catch(() => undefined)
      .then(() => {
        if (this.inFlight.get(key) === attempt) this.inFlight.delete(key);
      });
    return attempt;
  }

  /**
   * Inserts the message under the room's next seq. The seq is the newest stored one + 1 and the
   * unique (room, seq) index arbitrates between writers, so seqs are gap-free and a seq becomes
   * visible only after every lower one: a reader that sees seq n has seen 1…n-1. Sends to one
   * room are queued in this process; other processes (or a restarted one) are caught by the
   * index, and the loser reads again.
   */
  private async insertNext(
    sender: AuthUser,
    input: SendMessageDto,
  ): Promise<{ kind: 'stored' | 'resend'; message: MessageDto }> {
    const senderId = new Types.ObjectId(sender.id);
    for (let attempt = 1; attempt <= SEQ_ATTEMPTS; attempt += 1) {
      const seq = this.nextSeq.get(input.room) ?? (await this.newestSeq(input.room)) + 1;
      const createdAt = new Date();
      try {
        const created = await this.messages.create({
          room: input.room,
          seq,
          sender: senderId,
          senderUsername: sender.username,
          senderDisplayName: sender.displayName,
          content: input.content,
          clientMessageId: input.clientMessageId,
          createdAt,
        });
        this.rememberNextSeq(input.room, seq + 1);
        return { kind: 'stored', message: toMessageDto(created.toObject<MessageRecord>()) };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either this very send was stored already (a resend, possibly through another
        // instance), or another writer took the seq. Asking is cheaper than trusting every
        // server to report which unique index it was.
        const original = await this.findByClientId(input.room, senderId, input.clientMessageId);
        if (original) return { kind: 'resend', message: original };
        // Another writer took this seq: read the newest one again.
        this.nextSeq.delete(input.room);
      }
    }
    this.logger.warn(`Room ${input.room}: no free seq after ${SEQ_ATTEMPTS} attempts`);
    throw new AppException('unavailable', 'The room is too busy right now; try again');
  }

  private async newestSeq(room: string): Promise<number> {
    const newest = await this.messages
      .findOne({ room }, { seq: 1, _id: 0 })
      .sort({ seq: -1 })
      .lean<Pick<MessageRecord, 'seq'>>()
      .exec();
    return newest?.seq ?? 0;
  }

  /** A bounded hint: forgetting a room only costs one indexed read on its next send. */
  private rememberNextSeq(room: string, next: number): void {
    if (this.nextSeq.size >= NEXT_SEQ_CACHE_SIZE && !this.nextSeq.has(room)) this.nextSeq.clear();
    this.nextSeq.set(room, next);
  }

  /**
   * `sync`: for each room, what was stored after the caller's cursor, oldest first, up to `limit`.
   * Rooms the caller may not read are listed in `refused` instead of failing the whole call.
   */
  async sync(reader: AuthUser, input: SyncDto): Promise<SyncResultDto> {
    const limit = input.limit ?? SYNC_PAGE_DEFAULT;
    const cursors = Object.entries(input.rooms);
    // Access for every room at once, read before the messages: so a room's lastSeq below never
    // names a message its page could have missed.
    const access = await this.rooms.accessToReadMany(
      cursors.map(([room]) => room),
      reader,
    );
    const result: SyncResultDto = { rooms: [], refused: [] };
    const pages = await Promise.all(
      cursors.map(async ([room, after]): Promise<RoomSyncDto | RoomSyncRefusalDto> => {
        const granted = access.get(room);
        if (!granted || granted instanceof AppException) {
          return { room, code: granted?.code ?? 'room_not_found' };
        }
        const records = await this.messages
          .find({ room, seq: trusted({ $gt: after }) })
          .sort({ seq: 1 })
          .limit(limit + 1)
          .lean<MessageRecord[]>()
          .exec();
        const messages = records.slice(0, limit).map(toMessageDto);
        return {
          room,
          messages,
          lastSeq: Math.max(granted.room.lastSeq, messages.at(-1)?.seq ?? 0),
          hasMore: records.length > limit,
        };
      }),
    );
    for (const page of pages) {
      if ('messages' in page) result.rooms.push(page);
      else result.refused.push(page);
    }
    return result;
  }

  /** `items` oldest first; `nextBefore` is `null` once the page reaches the room's first message. */
  async page(
    reader: AuthUser,
    roomId: string,
    query: ListMessagesQueryDto,
  ): Promise<MessagePageDto> {
    await this.rooms.accessToRead(roomId, reader);
    const limit = query.limit ?? MESSAGE_PAGE_DEFAULT;
    const filter =
      query.before === undefined
        ? { room: roomId }
        : { room: roomId, seq: trusted({ $lt: query.before }) };
    // One extra row answers "is there an older page?" without trusting seq to be gap-free.
    const newestFirst = await this.messages
      .find(filter)
      .sort({ seq: -1 })
      .limit(limit + 1)
      .lean<MessageRecord[]>()
      .exec();
    const items = newestFirst.slice(0, limit).reverse().map(toMessageDto);
    const nextBefore = newestFirst.length > limit ? (items[0]?.seq ?? null) : null;
    return { items, nextBefore };
  }

  private async findByClientId(
    room: string,
    sender: Types.ObjectId,
    clientMessageId: string,
  ): Promise<MessageDto | undefined> {
    const record = await this.messages
      .findOne({ room, sender, clientMessageId })
      .lean<MessageRecord>()
      .exec();
    return record ? toMessageDto(record) : undefined;
  }
}
