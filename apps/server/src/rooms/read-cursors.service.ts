import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { ReadStateDto } from '@parley/contracts';
import { Types, type Model } from 'mongoose';
import type { AuthUser } from '../common/auth/auth-user';
import { UsersService } from '../users/users.service';
import { Membership, type MembershipRecord } from './membership.schema';
import { RoomEvents } from './room-events';
import { notAMember, RoomsService } from './rooms.service';

/** One cursor to raise: `userId` has read `room` up to `seq`. */
export interface CursorAdvance {
  room: string;
  userId: string;
  seq: number;
}

/**
 * Read cursors (`memberships.readSeq`): the highest seq a member has read, only ever raised with
 * `$max`, so out-of-order or repeated updates are harmless. Every move is published as a `read`
 * room event (the user's tabs get `read_state`, a direct or small room `read_receipt` when the
 * reader shares read state).
 */
@Injectable()
export class ReadCursorsService {
  constructor(
    @InjectModel(Membership.name) private readonly memberships: Model<Membership>,
    private readonly roomsService: RoomsService,
    private readonly users: UsersService,
    private readonly events: RoomEvents,
  ) {}

  /**
   * `mark_read` (with `seq` already clamped to the room's newest message): one update, whose
   * answer (the document before it) also tells whether the cursor moved. Not a member →
   * `not_a_member`.
   */
  async advance(user: AuthUser, roomId: string, seq: number): Promise<ReadStateDto> {
    const before = await this.memberships
      .findOneAndUpdate(
        { room: roomId, user: new Types.ObjectId(user.id) },
        { $max: { readSeq: seq } },
        { returnDocument: 'before', projection: { readSeq: 1 } },
      )
      .lean<Pick<MembershipRecord, '_id' | 'readSeq'>>()
      .exec();
    if (!before) throw notAMember(roomId);
    const previous = before.readSeq ?? 0;
    const readSeq = Math.max(previous, seq);
    if (readSeq > previous) {
      await this.publishMoved([{ room: roomId, userId: user.id, seq: readSeq }]);
    }
    return { room: roomId, readSeq };
  }

  /**
   * Several cursors in one round trip (senders' cursors following their own messages). A cursor
   * already past its `seq`, or a membership that is gone, is left alone by the filter and `$max`.
   * Nothing is published: a message's ack and its `new_message` already tell the sender's tabs,
   * and every member, that its sender has read up to it — a `read_state` to the sender and a
   * `read_receipt` to a small room per message would only repeat that (and more than double what
   * a small room is sent).
   */
  async advanceMany(advances: readonly CursorAdvance[]): Promise<void> {
    if (advances.length === 0) return;
    await this.memberships.bulkWrite(
      advances.map(({ room, userId, seq }) => ({
        updateOne: {
          filter: { room, user: new Types.ObjectId(userId) },
          update: { $max: { readSeq: seq } },
        },
      })),
      // A cursor the next message or `mark_read` raises again: it need not wait for the journal.
      { ordered: false, writeConcern: { w: 1, journal: false } },
    );
  }

  /**
   * Decides, for all the rooms and readers at once, where a read receipt goes too. Whether a room
   * gets receipts at all is mostly remembered (`RoomsService.seenByAppliesIn`): a flush of a busy
   * room's cursors costs no room or membership reads.
   */
  private async publishMoved(advances: readonly CursorAdvance[]): Promise<void> {
    const [applies, sharing] = await Promise.all([
      this.roomsService.seenByAppliesIn(advances.map((advance) => advance.room)),
      this.users.sharingReadState(advances.map((advance) => advance.userId)),
    ]);
    for (const { room, userId, seq } of advances) {
      this.events.publish({
        type: 'read',
        room,
        userId,
        readSeq: seq,
        receipt: (applies.get(room) ?? false) && sharing.has(userId),
      });
    }
  }
}
