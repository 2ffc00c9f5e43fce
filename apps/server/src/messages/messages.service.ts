import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_PAGE_DEFAULT,
  mentionTokens,
  ROOM_MENTION_OPEN_MAX_MEMBERS,
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
import type { AttachmentRecord } from '../files/file.mapper';
import { FilesService } from '../files/files.service';
import { RoomEvents } from '../rooms/room-events';
import { isModerator } from '../rooms/room-roles';
import { excerptOf, RoomsService } from '../rooms/rooms.service';
import { MessageInsertBatcher } from './message-insert-batcher';
import { RoomSummaryWriter } from './room-summary-writer';
import { MessageEvents } from './message-events';
import { toMessageDto } from './message.mapper';
import {
  Message,
  type MessageMention,
  type MessageRecord,
  type MessageReplyTo,
} from './message.schema';
import { newestSeq } from './newest-seq';
import { MessageChangesService } from './message-changes.service';
import { ReadStateService } from './read-state.service';
import { searchTokens } from './search-tokens';

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

/** What a message's text mentions, resolved among the room's members when it is sent. */
export interface ResolvedMentions {
  mentions: MessageMention[];
  room: boolean;
}

const NO_MENTIONS: ResolvedMentions = { mentions: [], room: false };

@Injectable()
export class MessagesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessagesService.name);
  private subscription?: Subscription;
  /** Stores sends under their room's next seq, many per round trip. */
  private readonly writer = new MessageInsertBatcher({
    newestSeq: (room) => newestSeq(this.messages, room),
    findByClientId: (room, sender, clientMessageId) =>
      this.findRecordByClientId(room, sender, clientMessageId),
    // The driver's collection: the record is complete and typed, so Mongoose has nothing to add.
    insertOrdered: (records) => this.messages.collection.insertMany(records, { ordered: true }),
  });
  private readonly summaries = new RoomSummaryWriter<MessageDto>(
    (summaries) => this.rooms.recordMessages(summaries),
    (rooms, error) =>
      this.logger.error(`Rooms ${rooms.join(', ')}: lastSeq not updated: ${String(error)}`),
  );
  /** Sends being stored, by (room, sender, clientMessageId). */
  private readonly inFlight = new Map<
    string,
    Promise<{ kind: 'stored' | 'resend'; message: MessageDto }>
  >();

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly rooms: RoomsService,
    private readonly events: MessageEvents,
    private readonly roomEvents: RoomEvents,
    private readonly reads: ReadStateService,
    private readonly changes: MessageChangesService,
    private readonly files: FilesService,
  ) {}

  /** Both unique indexes must exist before the first send: they are what makes seq and resends safe. */
  async onModuleInit(): Promise<void> {
    await this.messages.init();
    // A deleted room takes its history with it.
    this.subscription = this.roomEvents.events$.subscribe((event) => {
      if (event.type !== 'deleted') return;
      this.writer.forget(event.room);
      this.messages
        .deleteMany({ room: event.room })
        .exec()
        .catch((error: unknown) =>
          this.logger.error(`Deleting the messages of room ${event.room} failed: ${String(error)}`),
        );
    });
    // A deleted message's files go with it.
    this.subscription.add(
      this.events.changed$.subscribe(({ kind, message }) => {
        if (kind !== 'deleted') return;
        this.files
          .deleteMessageFiles(message.id)
          .catch((error: unknown) =>
            this.logger.error(
              `Deleting the files of message ${message.id} failed: ${String(error)}`,
            ),
          );
      }),
    );
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
    const mentions = await this.resolveMentions(sender, input.room, input.content);
    const replyTo = input.replyTo ? await this.replyPreview(input.room, input.replyTo) : undefined;
    // No lookup first: the unique (room, sender, clientMessageId) index recognises a resend in
    // the insert itself, which saves a round trip on every first send.
    const { message, kind } = await this.storeWithAttachments(sender, input, mentions, replyTo);
    // A resend is announced again: if the process that stored the original died before its
    // broadcast, this is how the room learns of it now rather than at its next gap. Receivers
    // de-duplicate by id.
    this.events.publishCreated({ message, origin });
    if (kind === 'stored') {
      // Own messages are never unread: the sender's cursor follows, batched (no round trip here).
      this.reads.sent(message.room, sender.id, message.seq);
      // The room's lastSeq, activity time and preview are a summary for room lists: written at
      // once for a quiet room, once a second for a busy one (see RoomSummaryWriter).
      await this.summaries.record(message.room, message);
    }
    return message;
  }

  /**
   * `@username` mentions are resolved among the room's members only — one read on the
   * `{room, username}` index, and none when the text mentions nobody. `@room` notifies everyone:
   * in rooms of more than `ROOM_MENTION_OPEN_MAX_MEMBERS` members only owners and moderators may
   * use it (`forbidden`, and nothing is stored).
   */
  async resolveMentions(
    sender: AuthUser,
    room: string,
    content: string,
  ): Promise<ResolvedMentions> {
    const tokens = mentionTokens(content);
    if (tokens.usernames.length === 0 && !tokens.room) return NO_MENTIONS;
    // With `@room`, the sender's own membership comes along in the same read (for their role).
    const names = new Set(tokens.room ? [...tokens.usernames, sender.username] : tokens.usernames);
    const members = await this.rooms.membersNamed(room, [...names]);
    if (tokens.room) {
      const own = members.find((member) => member.user.toHexString() === sender.id);
      if (!own || !isModerator(own.role)) {
        const count = await this.rooms.countMembers(room, ROOM_MENTION_OPEN_MAX_MEMBERS + 1);
        if (count > ROOM_MENTION_OPEN_MAX_MEMBERS) {
          throw new AppException(
            'forbidden',
            `Only owners and moderators may use @room in rooms of more than ${ROOM_MENTION_OPEN_MAX_MEMBERS} members`,
          );
        }
      }
    }
    const byName = new Map(members.map((member) => [member.username, member]));
    const mentions = tokens.usernames.flatMap((username) => {
      const member = byName.get(username);
      return member ? [{ user: member.user, username }] : [];
    });
    return { mentions, room: tokens.room };
  }

  /**
   * `storeOnce`, with the files of `attachments` claimed first (so no two messages carry one
   * file) and settled after: readable by the room once the message is stored, unsent again if
   * the send failed. Resends claim the same files again (see `FilesService.claim`).
   */
  private async storeWithAttachments(
    sender: AuthUser,
    input: SendMessageDto,
    mentions: ResolvedMentions,
    replyTo?: MessageReplyTo,
  ): Promise<{ kind: 'stored' | 'resend'; message: MessageDto }> {
    const fileIds = input.attachments ?? [];
    if (fileIds.length === 0) return this.storeOnce(sender, input, mentions, replyTo);
    const attachments = await this.files.claim(sender, input.room, input.clientMessageId, fileIds);
    let stored: { kind: 'stored' | 'resend'; message: MessageDto };
    try {
      stored = await this.storeOnce(sender, input, mentions, replyTo, attachments);
    } catch (error) {
      await this.files.settleClaim(input.clientMessageId, fileIds, null);
      throw error;
    }
    await this.files.settleClaim(input.clientMessageId, fileIds, stored.message);
    return stored;
  }

  /**
   * A resend that arrives while its original is still queued or being written (a client whose ack
   * timed out under load) joins that attempt instead of queueing behind it a second time.
   */
  private storeOnce(
    sender: AuthUser,
    input: SendMessageDto,
    mentions: ResolvedMentions,
    replyTo?: MessageReplyTo,
    attachments?: AttachmentRecord[],
  ): Promise<{ kind: 'stored' | 'resend'; message: MessageDto }> {
    const key = `${input.room} ${sender.id} ${input.clientMessageId}`;
    const running = this.inFlight.get(key);
    if (running) {
      return running.then(({ message }) => ({ kind: 'resend' as const, message }));
    }
    const attempt = this.insert(sender, input, mentions, replyTo, attachments);
    this.inFlight.set(key, attempt);
    void attempt
      .catch(() => undefined)
      .then(() => {
        if (this.inFlight.get(key) === attempt) this.inFlight.delete(key);
      });
    return attempt;
  }

  /** Builds the stored shape (no `undefined` fields: the driver would store them as null). */
  private insert(
    sender: AuthUser,
    input: SendMessageDto,
    { mentions, room: mentionsRoom }: ResolvedMentions,
    replyTo?: MessageReplyTo,
    attachments?: AttachmentRecord[],
  ): Promise<{ kind: 'stored' | 'resend'; message: MessageDto }> {
    // Written in the same insert, so a stored message is searchable from its first moment.
    const tokens = searchTokens(input.content);
    return this.writer
      .insert({
        room: input.room,
        sender: new Types.ObjectId(sender.id),
        senderUsername: sender.username,
        senderDisplayName: sender.displayName,
        content: input.content,
        ...(tokens.length > 0 ? { searchTokens: tokens } : {}),
        ...(mentions.length > 0 ? { mentions } : {}),
        ...(mentionsRoom ? { mentionsRoom } : {}),
        ...(replyTo ? { replyTo } : {}),
        ...(attachments ? { attachments } : {}),
        clientMessageId: input.clientMessageId,
      })
      .then(({ kind, record }) => ({ kind, message: toMessageDto(record) }));
  }

  /**
   * `sync`: for each room, what was stored after the caller's cursor, oldest first, up to `limit`.
   * Rooms the caller may not read are listed in `refused` instead of failing the whole call.
   * Rooms named in `changes` also get the messages changed after that cursor (`changed`); the
   * others get `changed: []` and the cursor they sent (or 0) back as `changeSeq`.
   */
  async sync(reader: AuthUser, input: SyncDto): Promise<SyncResultDto> {
    const limit = input.limit ?? SYNC_PAGE_DEFAULT;
    const cursors = Object.entries(input.rooms);
    const changeCursors = input.changes ?? {};
    const unnamed = Object.keys(changeCursors).filter((room) => !(room in input.rooms));
    if (unnamed.length > 0) {
      throw new AppException('validation_failed', 'Rooms in changes must also be in rooms', {
        issues: [{ field: 'changes', messages: [`not in rooms: ${unnamed.join(', ')}`] }],
      });
    }
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
          ...(await this.changedSince(room, changeCursors[room], limit)),
        };
      }),
    );
    for (const page of pages) {
      if ('messages' in page) result.rooms.push(page);
      else result.refused.push(page);
    }
    return result;
  }

  /**
   * The messages changed after `after` in their current state (one `$in` read), in the order of
   * their newest entry among those read. `changeSeq` is the highest entry read: an entry becomes
   * visible only after its message's change (and after every lower entry), so the state read
   * here includes everything up to it. Not asked (`after` undefined): nothing, cursor 0.
   */
  private async changedSince(
    room: string,
    after: number | undefined,
    limit: number,
  ): Promise<Pick<RoomSyncDto, 'changed' | 'changeSeq' | 'hasMoreChanges'>> {
    if (after === undefined) return { changed: [], changeSeq: 0, hasMoreChanges: false };
    const { entries, hasMore } = await this.changes.after(room, after, limit);
    if (entries.length === 0) return { changed: [], changeSeq: after, hasMoreChanges: false };
    const order = new Map<string, number>();
    for (const entry of entries) order.set(entry.message.toHexString(), entry.changeSeq);
    const records = await this.messages
      .find({ _id: trusted({ $in: entries.map((entry) => entry.message) }), room })
      .lean<MessageRecord[]>()
      .exec();
    const changed = records
      .map(toMessageDto)
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return { changed, changeSeq: entries.at(-1)?.changeSeq ?? after, hasMoreChanges: hasMore };
  }

  /** `items` oldest first; `nextBefore` is `null` once the page reaches the room's first message. */
  async page(
    reader: AuthUser,
    roomId: string,
    query: ListMessagesQueryDto,
  ): Promise<MessagePageDto> {
    if (query.around !== undefined && query.before !== undefined) {
      throw new AppException('validation_failed', 'Pass either around or before, not both', {
        issues: [{ field: 'around', messages: ['around cannot be combined with before'] }],
      });
    }
    // The access check and the page are read side by side (two round trips, not three); a refusal
    // throws the page away unseen.
    const [, page] = await Promise.all([
      this.rooms.accessToRead(roomId, reader),
      this.readPage(roomId, query),
    ]);
    return page;
  }

  private async readPage(roomId: string, query: ListMessagesQueryDto): Promise<MessagePageDto> {
    // Read before the page: every change up to it is in the page, so a client holding the page
    // and syncing changes from here converges (later ones it applies by version).
    const changeSeq = await this.changes.newest(roomId);
    const limit = query.limit ?? MESSAGE_PAGE_DEFAULT;
    if (query.around !== undefined) {
      return { ...(await this.pageAround(roomId, query.around, limit)), changeSeq };
    }
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
    return { items, nextBefore, changeSeq };
  }

  /**
   * The page around `around` (a jump target): up to half of `limit` messages before it and the
   * rest from it on. Near either end of the room the other side fills the page, so it is full
   * whenever the room has `limit` messages. Two index range reads on (room, seq).
   */
  private async pageAround(
    roomId: string,
    around: number,
    limit: number,
  ): Promise<Pick<MessagePageDto, 'items' | 'nextBefore'>> {
    const [olderNewestFirst, fromAround] = await Promise.all([
      this.messages
        .find({ room: roomId, seq: trusted({ $lt: around }) })
        .sort({ seq: -1 })
        .limit(limit + 1)
        .lean<MessageRecord[]>()
        .exec(),
      this.messages
        .find({ room: roomId, seq: trusted({ $gte: around }) })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<MessageRecord[]>()
        .exec(),
    ]);
    const half = Math.floor(limit / 2);
    const newerCount = Math.min(fromAround.length, limit - Math.min(olderNewestFirst.length, half));
    const olderCount = Math.min(olderNewestFirst.length, limit - newerCount);
    const older = olderNewestFirst.slice(0, olderCount).reverse();
    const items = [...older, ...fromAround.slice(0, newerCount)].map(toMessageDto);
    const nextBefore = olderNewestFirst.length > olderCount ? (items[0]?.seq ?? null) : null;
    return { items, nextBefore };
  }

  /**
   * What a reply quotes, copied when it is sent: the original must be in the same room and not
   * deleted (`message_not_found`).
   */
  private async replyPreview(room: string, id: string): Promise<MessageReplyTo> {
    const original = await this.messages
      .findOne({ _id: new Types.ObjectId(id), room })
      .lean<MessageRecord>()
      .exec();
    if (!original || original.deletedAt) {
      throw new AppException('message_not_found', `No message with id "${id}" in this room`);
    }
    return {
      id: original._id,
      seq: original.seq,
      sender: original.sender,
      senderUsername: original.senderUsername,
      senderDisplayName: original.senderDisplayName,
      excerpt: excerptOf(original.content),
    };
  }

  private async findRecordByClientId(
    room: string,
    sender: Types.ObjectId,
    clientMessageId: string,
  ): Promise<MessageRecord | undefined> {
    const record = await this.messages
      .findOne({ room, sender, clientMessageId })
      .lean<MessageRecord>()
      .exec();
    return record ?? undefined;
  }
}
