import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_PAGE_DEFAULT,
  type ListMessagesQueryDto,
  type MessageDto,
  type MessagePageDto,
  type SendMessageDto,
} from '@parley/contracts';
import { Types, trusted, type Model } from 'mongoose';
import type { Subscription } from 'rxjs';
import type { AuthUser } from '../common/auth/auth-user';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RoomEvents } from '../rooms/room-events';
import { RoomsService } from '../rooms/rooms.service';
import { MessageEvents } from './message-events';
import { toMessageDto } from './message.mapper';
import { Message, type MessageRecord } from './message.schema';

@Injectable()
export class MessagesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MessagesService.name);
  private subscription?: Subscription;

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
      this.messages
        .deleteMany({ room: event.room })
        .exec()
        .catch((error: unknown) =>
          this.logger.error(`Deleting the messages of room ${event.room} failed: ${String(error)}`),
        );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * Stores a message (input already validated) and publishes it. A resend of a stored
   * `clientMessageId` returns the original and publishes nothing, so retries are free.
   */
  async send(sender: AuthUser, input: SendMessageDto, origin?: string): Promise<MessageDto> {
    // Checked per message: a socket that joined and was then kicked must not slip one through.
    await this.rooms.assertMember(input.room, sender);
    const senderId = new Types.ObjectId(sender.id);
    const original = await this.findByClientId(input.room, senderId, input.clientMessageId);
    if (original) return original;

    const createdAt = new Date();
    const seq = await this.rooms.allocateSeq(input.room, createdAt);
    let message: MessageDto;
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
      message = toMessageDto(created.toObject<MessageRecord>());
    } catch (error) {
      // Two copies of the same send raced past the lookup above; the other one was stored.
      const winner = isDuplicateKeyError(error)
        ? await this.findByClientId(input.room, senderId, input.clientMessageId)
        : undefined;
      if (!winner) throw error;
      this.logger.warn(`Concurrent resend in room ${input.room}: seq ${seq} left unused`);
      return winner;
    }
    this.events.publishCreated({ message, origin });
    return message;
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
