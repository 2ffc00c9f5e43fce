import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { USER_SEARCH_MAX, type MeDto, type UpdateMeDto, type UserDto } from '@parley/contracts';
import { isValidObjectId, trusted, Types, type Model } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { assertUsernameAllowed } from './reserved-usernames';
import { sharesReadState, toMeDto, toUserDto } from './user.mapper';
import { User, type UserRecord } from './user.schema';

/** What the login check needs; the hash stays inside the server. */
export interface UserCredentials {
  user: UserDto;
  passwordHash: string | undefined;
}

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /** The unique index must exist before the first sign-in, or two people could share a handle. */
  async onModuleInit(): Promise<void> {
    await this.users.init();
  }

  /** A guest when `passwordHash` is undefined. */
  async create(username: string, displayName: string, passwordHash?: string): Promise<UserDto> {
    assertUsernameAllowed(username);
    try {
      const created = await this.users.create(
        passwordHash === undefined
          ? { username, displayName }
          : { username, displayName, passwordHash },
      );
      return toUserDto(created.toObject<UserRecord>());
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppException('username_taken', `The username "${username}" is already taken`);
      }
      throw error;
    }
  }

  async getById(id: string): Promise<UserDto> {
    const record = isValidObjectId(id)
      ? await this.users.findById(id).lean<UserRecord>().exec()
      : null;
    if (!record) throw new AppException('user_not_found', 'No such user');
    return toUserDto(record);
  }

  async getByUsername(username: string): Promise<UserDto> {
    const record = await this.users
      .findOne({ username: username.toLowerCase() })
      .lean<UserRecord>()
      .exec();
    if (!record) throw new AppException('user_not_found', `No user named "${username}"`);
    return toUserDto(record);
  }

  /** `null` for an unknown username; `username` is a validated string, never an operator object. */
  async findCredentials(username: string): Promise<UserCredentials | null> {
    const record = await this.users
      .findOne({ username: String(username).toLowerCase() })
      .lean<UserRecord>()
      .exec();
    return record ? { user: toUserDto(record), passwordHash: record.passwordHash } : null;
  }

  /** When each of these users was last seen; users never seen (or unknown) are absent. */
  async lastSeenOf(ids: readonly string[]): Promise<Map<string, Date>> {
    const valid = ids.filter((id) => isValidObjectId(id));
    if (valid.length === 0) return new Map();
    const records = await this.users
      // Trusted: a literal built here around ids checked to be ObjectIds.
      .find({ _id: trusted({ $in: valid }) }, { lastSeenAt: 1 })
      .lean<Pick<UserRecord, '_id' | 'lastSeenAt'>[]>()
      .exec();
    return new Map(
      records.flatMap((record) =>
        record.lastSeenAt ? [[record._id.toHexString(), record.lastSeenAt] as const] : [],
      ),
    );
  }

  /** `$max`: a late write from a slower instance never moves the time back. */
  async recordLastSeen(id: string, at: Date): Promise<void> {
    if (!isValidObjectId(id)) return;
    await this.users
      // Not a profile change: `updatedAt` stays.
      .updateOne({ _id: id }, { $max: { lastSeenAt: at } }, { timestamps: false })
      .exec();
  }

  /**
   * Sets the password of a guest. The filter makes it atomic: of two concurrent claims one wins,
   * and an account that already has a password is never overwritten.
   */
  async setPasswordIfGuest(id: string, passwordHash: string): Promise<UserDto> {
    const record = isValidObjectId(id)
      ? await this.users
          .findOneAndUpdate(
            // Trusted: a literal built here; `id` is checked to be an ObjectId above.
            { _id: id, passwordHash: trusted({ $exists: false }) },
            { $set: { passwordHash } },
            { returnDocument: 'after' },
          )
          .lean<UserRecord>()
          .exec()
      : null;
    if (record) return toUserDto(record);
    await this.getById(id); // user_not_found when the account is gone
    throw new AppException('already_registered', 'This account already has a password');
  }

  async getMe(id: string): Promise<MeDto> {
    const record = isValidObjectId(id)
      ? await this.users.findById(id).lean<UserRecord>().exec()
      : null;
    if (!record) throw new AppException('user_not_found', 'No such user');
    return toMeDto(record);
  }

  /** Only what is present changes; an empty body answers the settings as they are. */
  async updateMe(id: string, input: UpdateMeDto): Promise<MeDto> {
    if (input.shareReadState === undefined || !isValidObjectId(id)) return this.getMe(id);
    const record = await this.users
      .findOneAndUpdate(
        { _id: id },
        { $set: { shareReadState: input.shareReadState } },
        { returnDocument: 'after' },
      )
      .lean<UserRecord>()
      .exec();
    if (!record) throw new AppException('user_not_found', 'No such user');
    return toMeDto(record);
  }

  /**
   * Users whose username starts with `query` (usernames are stored lowercase), the caller left
   * out, in username order. The prefix is an index range on `username` — the bounds an anchored
   * regex would get, with nothing to escape — so a search reads at most a page of the index.
   */
  async search(query: string, callerId: string): Promise<UserDto[]> {
    const prefix = query.toLowerCase();
    const records = await this.users
      .find({
        // Trusted: literal operators; `prefix` is a validated string and only bounds the range.
        username: trusted({ $gte: prefix, $lt: `${prefix}\uffff` }),
        ...(isValidObjectId(callerId)
          ? { _id: trusted({ $ne: new Types.ObjectId(callerId) }) }
          : {}),
      })
      .sort({ username: 1 })
      .limit(USER_SEARCH_MAX)
      .lean<UserRecord[]>()
      .exec();
    return records.map(toUserDto);
  }

  /** Of these users, those who let others see how far they have read. */
  async sharingReadState(ids: readonly string[]): Promise<Set<string>> {
    const valid = [...new Set(ids)].filter((id) => isValidObjectId(id));
    if (valid.length === 0) return new Set();
    const records = await this.users
      // Trusted: a literal built here around ids checked to be ObjectIds.
      .find({ _id: trusted({ $in: valid }) }, { shareReadState: 1 })
      .lean<Pick<UserRecord, '_id' | 'shareReadState'>[]>()
      .exec();
    return new Set(
      records.filter((record) => sharesReadState(record)).map((record) => record._id.toHexString()),
    );
  }
}
