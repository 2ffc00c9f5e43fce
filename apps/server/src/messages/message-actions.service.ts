import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  MESSAGE_REACTIONS_MAX,
  type DeleteMessageDto,
  type EditMessageDto,
  type MessageDto,
  type PinMessageDto,
  type ReactDto,
} from '@parley/contracts';
import { Types, trusted, type Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { isModerator } from '../rooms/room-roles';
import { kindOf } from '../rooms/room.schema';
import { RoomsService } from '../rooms/rooms.service';
import { MessageChangesService } from './message-changes.service';
import { MessageEvents } from './message-events';
import { toMessageDto } from './message.mapper';
import { Message, type MessageReaction, type MessageRecord } from './message.schema';
import { MessagesService } from './messages.service';
import { searchTokens } from './search-tokens';

/** Lost races one change survives before answering `unavailable` (each means another change won). */
const CHANGE_ATTEMPTS = 50;
/** Pins listed per room, newest first. */
export const PINS_LIST_MAX = 100;

type MessageFields = Omit<Message, 'room' | 'seq' | 'sender' | 'clientMessageId' | 'createdAt'>;

/** What one change writes; `undefined`: nothing to change (the action is already in effect). */
interface ChangeUpdate {
  set?: Partial<MessageFields> & Record<`replyTo.${string}`, unknown>;
  unset?: Partial<Record<keyof MessageFields, 1>>;
}

/**
 * Edit, delete, react and pin. Every change is optimistic on the message document: read it,
 * decide the new state here, write it only if its `version` is still the one read (`version`
 * +1), and read again if another change got there first. Then the change is logged for `sync`
 * (MessageChangesService) and published to the room.
 */
@Injectable()
export class MessageActionsService {
  private readonly logger = new Logger(MessageActionsService.name);

  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    private readonly rooms: RoomsService,
    private readonly sending: MessagesService,
    private readonly changes: MessageChangesService,
    private readonly events: MessageEvents,
  ) {}

  /**
   * Authors only (`forbidden`), on a message that is not deleted (`message_not_found`), within
   * the room's edit window from `createdAt` (`edit_window_closed`). The previous text goes to
   * `edits` (kept server-side); mentions are resolved again among the members; the same text
   * again changes nothing.
   */
  async edit(user: AuthUser, input: EditMessageDto): Promise<MessageDto> {
    const { room } = await this.rooms.accessAsMember(input.room, user);
    const mentions = await this.sending.resolveMentions(user, input.room, input.content);
    const tokens = searchTokens(input.content);
    const { message } = await this.change(input.room, input.id, (current, now) => {
      assertNotDeleted(current);
      if (current.sender.toHexString() !== user.id) {
        throw new AppException('forbidden', 'Only the author may edit a message');
      }
      const window = room.editWindowSeconds;
      if (window !== undefined && now.getTime() - current.createdAt.getTime() > window * 1000) {
        throw new AppException(
          'edit_window_closed',
          `Messages of this room can be edited for ${window} seconds after sending`,
        );
      }
      if (current.content === input.content) return undefined;
      const update: Required<ChangeUpdate> = {
        set: {
          content: input.content,
          editedAt: now,
          edits: [...(current.edits ?? []), { content: current.content, replacedAt: now }],
        },
        unset: {},
      };
      if (mentions.mentions.length > 0) update.set.mentions = mentions.mentions;
      else update.unset.mentions = 1;
      if (mentions.room) update.set.mentionsRoom = true;
      else update.unset.mentionsRoom = 1;
      if (tokens.length > 0) update.set.searchTokens = tokens;
      else update.unset.searchTokens = 1;
      return update;
    });
    if (message.seq === room.lastMessage?.seq) {
      await this.rooms.refreshLastMessage(input.room, message.seq, message.content);
    }
    return message;
  }

  /**
   * The author, or an owner/moderator of the room (in a direct room only the author). Leaves a
   * tombstone: no text, mentions, reactions, attachments, edit history, search tokens or pin;
   * `replyTo` stays (what it quotes is another message, still shown). Deleting again answers the
   * tombstone and changes nothing. Replies quoting it are marked (`replyTo.deleted`, no excerpt).
   */
  async remove(user: AuthUser, input: DeleteMessageDto): Promise<MessageDto> {
    const { room, role } = await this.rooms.accessAsMember(input.room, user);
    const moderates = kindOf(room) !== 'direct' && isModerator(role);
    const { message, changed } = await this.change(input.room, input.id, (current, now) => {
      if (current.sender.toHexString() !== user.id && !moderates) {
        throw new AppException('forbidden', 'Only the author or a moderator may delete a message');
      }
      if (current.deletedAt) return undefined;
      return {
        set: { content: '', deletedAt: now, deletedBy: new Types.ObjectId(user.id) },
        unset: {
          mentions: 1,
          mentionsRoom: 1,
          reactions: 1,
          attachments: 1,
          edits: 1,
          searchTokens: 1,
          pinnedAt: 1,
          pinnedIn: 1,
          pinnedBy: 1,
        },
      };
    });
    // Also when it was deleted already: a process that died before marking the replies is
    // completed by the next delete (replies already marked are skipped).
    await this.markReplies(input.room, input.id);
    if (changed && message.seq === room.lastMessage?.seq) {
      await this.rooms.refreshLastMessage(input.room, message.seq, '');
    }
    return message;
  }

  /**
   * Any member; adds or removes the caller's own reaction. Already so: nothing changes (no new
   * version, no broadcast). At most `MESSAGE_REACTIONS_MAX` distinct emoji per message.
   */
  async react(user: AuthUser, input: ReactDto): Promise<MessageDto> {
    await this.rooms.accessAsMember(input.room, user);
    const userId = new Types.ObjectId(user.id);
    const { message } = await this.change(input.room, input.id, (current) => {
      assertNotDeleted(current);
      const reactions = current.reactions ?? [];
      const entry = reactions.find((reaction) => reaction.emoji === input.emoji);
      const has = entry?.users.some((reactor) => reactor.equals(userId)) ?? false;
      if (has === input.add) return undefined;
      let next: MessageReaction[];
      if (input.add) {
        if (!entry && reactions.length >= MESSAGE_REACTIONS_MAX) {
          throw new AppException(
            'validation_failed',
            `A message carries at most ${MESSAGE_REACTIONS_MAX} different emoji`,
            {
              issues: [{ field: 'emoji', messages: ['too many different emoji on this message'] }],
            },
          );
        }
        next = entry
          ? reactions.map((reaction) =>
              reaction === entry ? { ...reaction, users: [...reaction.users, userId] } : reaction,
            )
          : [...reactions, { emoji: input.emoji, users: [userId] }];
      } else {
        next = reactions
          .map((reaction) =>
            reaction === entry
              ? { ...reaction, users: reaction.users.filter((reactor) => !reactor.equals(userId)) }
              : reaction,
          )
          .filter((reaction) => reaction.users.length > 0);
      }
      return next.length > 0 ? { set: { reactions: next } } : { unset: { reactions: 1 } };
    });
    return message;
  }

  /** Owners and moderators; in a direct room either member. Idempotent; not on tombstones. */
  async pin(user: AuthUser, input: PinMessageDto): Promise<MessageDto> {
    const { room, role } = await this.rooms.accessAsMember(input.room, user);
    if (kindOf(room) !== 'direct' && !isModerator(role)) {
      throw new AppException('forbidden', 'Only owners and moderators may pin messages');
    }
    const { message } = await this.change(input.room, input.id, (current, now) => {
      assertNotDeleted(current);
      if (input.pinned === (current.pinnedAt !== undefined)) return undefined;
      return input.pinned
        ? { set: { pinnedAt: now, pinnedIn: input.room, pinnedBy: new Types.ObjectId(user.id) } }
        : { unset: { pinnedAt: 1, pinnedIn: 1, pinnedBy: 1 } };
    });
    return message;
  }

  /** `GET /api/rooms/{id}/pins`: whoever may read the room's history; newest pin first. */
  async pins(reader: AuthUser, roomId: string): Promise<MessageDto[]> {
    await this.rooms.accessToRead(roomId, reader);
    const records = await this.messages
      .find({ pinnedIn: roomId })
      .sort({ pinnedAt: -1 })
      .limit(PINS_LIST_MAX)
      .lean<MessageRecord[]>()
      .exec();
    return records.map(toMessageDto);
  }

  /**
   * Replies keep a copy of what they quote; once the original is deleted they show it as deleted.
   * Each is a change of its own (new version, logged, broadcast), so `sync` carries it too.
   */
  private async markReplies(room: string, id: string): Promise<void> {
    const replies = await this.messages
      .find({ 'replyTo.id': new Types.ObjectId(id), room }, { _id: 1 })
      .lean<Pick<MessageRecord, '_id'>[]>()
      .exec();
    for (const reply of replies) {
      await this.change(room, reply._id.toHexString(), (current) =>
        current.replyTo && current.replyTo.deleted !== true
          ? { set: { 'replyTo.excerpt': '', 'replyTo.deleted': true } }
          : undefined,
      );
    }
  }

  /**
   * The optimistic loop: `decide` sees the current message and answers the update (or
   * `undefined`: already so, answered as it is) or throws a refusal. The write succeeds only on
   * the version read; a miss means a concurrent change, and the message is read again.
   */
  private async change(
    room: string,
    id: string,
    decide: (current: MessageRecord, now: Date) => ChangeUpdate | undefined,
  ): Promise<{ message: MessageDto; changed: boolean }> {
    const _id = new Types.ObjectId(id);
    for (let attempt = 1; attempt <= CHANGE_ATTEMPTS; attempt += 1) {
      const current = await this.messages.findOne({ _id, room }).lean<MessageRecord>().exec();
      if (!current) throw messageNotFound(id);
      const now = new Date();
      const update = decide(current, now);
      if (!update) return { message: toMessageDto(current), changed: false };
      const version = current.version ?? 1;
      const written = await this.messages
        .findOneAndUpdate(
          // A message never changed has no `version` (it is 1).
          { _id, room, version: version === 1 ? trusted({ $in: [null, 1] }) : version },
          {
            $set: { ...update.set, version: version + 1, changePendingAt: now },
            ...(update.unset && Object.keys(update.unset).length > 0
              ? { $unset: update.unset }
              : {}),
          },
          { returnDocument: 'after' },
        )
        .lean<MessageRecord>()
        .exec();
      if (!written) continue;
      const message = toMessageDto(await this.changes.record(written));
      this.events.publishChanged({ kind: message.deletedAt ? 'deleted' : 'updated', message });
      return { message, changed: true };
    }
    this.logger.warn(`Message ${id}: no change after ${CHANGE_ATTEMPTS} attempts`);
    throw new AppException('unavailable', 'The message is changing too fast; try again');
  }
}

function assertNotDeleted(current: MessageRecord): void {
  if (current.deletedAt) throw messageNotFound(current._id.toHexString());
}

function messageNotFound(id: string): AppException {
  return new AppException('message_not_found', `No message with id "${id}" in this room`);
}
