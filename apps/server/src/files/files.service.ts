import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { FileDto, MessageDto } from '@parley/contracts';
import { type Connection, type Model, mongo, trusted, Types } from 'mongoose';
import type { Subscription } from 'rxjs';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { AppConfig } from '../config/app-config';
import { DURABLE_WRITE_CONCERN } from '../database/database.module';
import { RoomEvents } from '../rooms/room-events';
import { RoomsService } from '../rooms/rooms.service';
import { contentDisposition, sanitizeFileName } from './file-name';
import { type AttachmentRecord, toAttachmentRecord, toFileDto } from './file.mapper';
import { inspectImage, THUMBNAIL_CONTENT_TYPE } from './image-inspector';
import { payloadTooLarge, receiveFile, type UploadSink } from './multipart-upload';
import {
  FILES_BUCKET,
  StoredFile,
  type StoredFileMetadata,
  type StoredFileRecord,
  THUMBNAILS_BUCKET,
} from './stored-file.schema';

/**
 * What a multipart body may add to the file itself (boundaries, part headers, a long file name):
 * a `Content-Length` beyond limit + this is refused before a byte is read.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Uploaded files never sent with a message are deleted after this long. */
export const UNSENT_FILE_TTL_MS = 24 * 60 * 60 * 1000;
/** Files one sweep deletes at most (the next sweep takes the rest). */
const SWEEP_BATCH = 500;
/** An image's own bytes only ever display as themselves; nothing served here runs as a page. */
const DOWNLOAD_CSP = "sandbox; default-src 'none'";
// Ids never change and a file's bytes never do: cache for a year, in the user's browser only.
const DOWNLOAD_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** One file ready to stream, with every response header it needs. */
export interface Download {
  stream: Readable;
  headers: Record<string, string>;
}

function fileNotFound(): AppException {
  return new AppException('file_not_found', 'No file with that id');
}

@Injectable()
export class FilesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FilesService.name);
  private subscription?: Subscription;
  private filesBucket?: mongo.GridFSBucket;
  private thumbnailsBucket?: mongo.GridFSBucket;

  constructor(
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    @InjectConnection() private readonly connection: Connection,
    private readonly rooms: RoomsService,
    private readonly roomEvents: RoomEvents,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.files.init();
    // A deleted room takes its files with it.
    this.subscription = this.roomEvents.events$.subscribe((event) => {
      if (event.type !== 'deleted') return;
      this.deleteRoomFiles(event.room).catch((error: unknown) =>
        this.logger.error(`Deleting the files of room ${event.room} failed: ${String(error)}`),
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * Stores the request's one file for the room (members only). The body streams into GridFS as
   * it arrives and stops at `maxUploadBytes` (413, nothing kept). The type is decided from the
   * content: a PNG, JPEG, GIF or WebP that decodes is an `image` (with a thumbnail); anything
   * else is an opaque `file` (`application/octet-stream`), whatever its name or declared type.
   */
  async upload(user: AuthUser, roomId: string, request: IncomingMessage): Promise<FileDto> {
    await this.rooms.accessAsMember(roomId, user);
    const maxBytes = this.config.maxUploadBytes;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw payloadTooLarge(maxBytes);
    }
    const id = new Types.ObjectId();
    const received = await receiveFile(request, this.gridFsSink(id, roomId, user), maxBytes);
    try {
      const image = received.content ? await inspectImage(received.content) : null;
      if (image) {
        await this.writeThumbnail(id, image.thumbnail);
        await this.files
          .updateOne(
            { _id: id },
            {
              $set: {
                'metadata.contentType': image.contentType,
                'metadata.kind': 'image',
                'metadata.width': image.width,
                'metadata.height': image.height,
              },
            },
          )
          .exec();
      }
      const record = await this.files.findById(id).lean<StoredFileRecord>().exec();
      if (!record) throw new Error(`Stored file ${id.toHexString()} vanished`);
      return toFileDto(record);
    } catch (error) {
      await this.deleteStored([id]);
      throw error;
    }
  }

  /**
   * The file (or its thumbnail) for someone who may read its room; a file not yet sent only for
   * its uploader (`file_not_found` for anyone else, so unsent ids cannot be probed).
   */
  async download(user: AuthUser, fileId: string, variant: 'file' | 'thumbnail'): Promise<Download> {
    const id = new Types.ObjectId(fileId);
    const record = await this.files.findById(id).lean<StoredFileRecord>().exec();
    if (!record) throw fileNotFound();
    const { metadata } = record;
    if (!metadata.message) {
      if (!metadata.uploadedBy.equals(user.id)) throw fileNotFound();
    } else {
      await this.rooms.accessToRead(metadata.room, user);
    }
    const image = metadata.kind === 'image';
    let length = record.length;
    let contentType = image ? metadata.contentType : 'application/octet-stream';
    let bucket = this.bucket('files');
    if (variant === 'thumbnail') {
      if (!image) throw new AppException('file_not_found', 'Only images have a thumbnail');
      bucket = this.bucket('thumbnails');
      const thumbnail = await bucket.find({ _id: id }).next();
      if (!thumbnail) throw new AppException('file_not_found', 'No thumbnail for that file');
      length = thumbnail.length;
      contentType = THUMBNAIL_CONTENT_TYPE;
    }
    return {
      stream: bucket.openDownloadStream(id),
      headers: {
        'Content-Type': contentType,
        'Content-Length': String(length),
        // Only the four image types are ever inline; everything else downloads.
        'Content-Disposition': contentDisposition(image ? 'inline' : 'attachment', metadata.name),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': DOWNLOAD_CSP,
        'Cache-Control': DOWNLOAD_CACHE_CONTROL,
        // A private cache keyed by URL alone could hand one account's file to the next one.
        Vary: 'Authorization',
      },
    };
  }

  /**
   * Claims files for a message being sent: each must have been uploaded by the sender
   * (`file_not_found` otherwise, also for unknown ids), to this room, and not be carried by
   * another message (`unsupported_file`). A resend with the same `clientMessageId` claims them
   * again. Returns what the message stores of them, in the order given.
   */
  async claim(
    sender: AuthUser,
    room: string,
    clientMessageId: string,
    fileIds: readonly string[],
  ): Promise<AttachmentRecord[]> {
    const ids = fileIds.map((fileId) => new Types.ObjectId(fileId));
    const records = await this.files
      .find({ _id: trusted({ $in: ids }) })
      .lean<StoredFileRecord[]>()
      .exec();
    const byId = new Map(records.map((record) => [record._id.toHexString(), record]));
    const claimed = fileIds.map((fileId) => {
      const record = byId.get(fileId);
      if (!record?.metadata.uploadedBy.equals(sender.id)) {
        throw new AppException('file_not_found', `No file ${fileId} uploaded by you`);
      }
      if (record.metadata.room !== room) {
        throw new AppException('unsupported_file', `File ${fileId} was uploaded to another room`);
      }
      if (record.metadata.sent && record.metadata.sentWith !== clientMessageId) {
        throw new AppException('unsupported_file', `File ${fileId} was already sent`);
      }
      return record;
    });
    // The read above explains refusals; this conditional write is what decides a race between
    // two sends of one file: only files still unsent (or claimed by this very send) match.
    const result = await this.files
      .updateMany(
        {
          _id: trusted({ $in: ids }),
          'metadata.uploadedBy': new Types.ObjectId(sender.id),
          'metadata.room': room,
          $or: [{ 'metadata.sent': false }, { 'metadata.sentWith': clientMessageId }],
        },
        { $set: { 'metadata.sent': true, 'metadata.sentWith': clientMessageId } },
      )
      .exec();
    if (result.matchedCount < ids.length) {
      await this.settleClaim(clientMessageId, fileIds, null);
      throw new AppException('unsupported_file', 'One of the files was sent with another message');
    }
    return claimed.map(toAttachmentRecord);
  }

  /**
   * After a send that claimed files: those the stored message carries become readable by the
   * room; the rest (the send failed, or a resend named other files than the original) are
   * unsent again, unless a message already carries them.
   */
  async settleClaim(
    clientMessageId: string,
    fileIds: readonly string[],
    message: MessageDto | null,
  ): Promise<void> {
    const carried = new Set(message?.attachments.map((attachment) => attachment.id) ?? []);
    const attached = fileIds.filter((fileId) => carried.has(fileId));
    const released = fileIds.filter((fileId) => !carried.has(fileId));
    const claimedBy = { 'metadata.sentWith': clientMessageId };
    if (message && attached.length > 0) {
      await this.files
        .updateMany(
          {
            _id: trusted({ $in: attached.map((fileId) => new Types.ObjectId(fileId)) }),
            ...claimedBy,
          },
          { $set: { 'metadata.message': new Types.ObjectId(message.id) } },
        )
        .exec();
    }
    if (released.length > 0) {
      await this.files
        .updateMany(
          {
            _id: trusted({ $in: released.map((fileId) => new Types.ObjectId(fileId)) }),
            ...claimedBy,
            'metadata.message': null,
          },
          { $set: { 'metadata.sent': false }, $unset: { 'metadata.sentWith': 1 } },
        )
        .exec();
    }
  }

  /** Deletes files and their thumbnails (a deleted message's attachments, a deleted room's files). */
  async deleteFiles(fileIds: readonly string[]): Promise<void> {
    await this.deleteStored(fileIds.map((fileId) => new Types.ObjectId(fileId)));
  }

  /** A deleted message's files go with it (its tombstone no longer lists them). */
  async deleteMessageFiles(messageId: string): Promise<void> {
    const records = await this.files
      .find({ 'metadata.message': new Types.ObjectId(messageId) }, { _id: 1 })
      .lean<Pick<StoredFileRecord, '_id'>[]>()
      .exec();
    await this.deleteStored(records.map((record) => record._id));
  }

  /** Deletes files uploaded before `now - UNSENT_FILE_TTL_MS` and never sent; returns how many. */
  async sweepUnsent(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - UNSENT_FILE_TTL_MS);
    const stale = await this.files
      .find({ 'metadata.sent': false, uploadDate: trusted({ $lt: cutoff }) }, { _id: 1 })
      .limit(SWEEP_BATCH)
      .lean<Pick<StoredFileRecord, '_id'>[]>()
      .exec();
    await this.deleteStored(stale.map((record) => record._id));
    return stale.length;
  }

  private async deleteRoomFiles(room: string): Promise<void> {
    const records = await this.files
      .find({ 'metadata.room': room }, { _id: 1 })
      .lean<Pick<StoredFileRecord, '_id'>[]>()
      .exec();
    await this.deleteStored(records.map((record) => record._id));
  }

  private async deleteStored(ids: readonly Types.ObjectId[]): Promise<void> {
    for (const id of ids) {
      // `delete` removes the chunks even when the file document is already gone, then reports it.
      await this.bucket('files')
        .delete(id)
        .catch(() => undefined);
      await this.bucket('thumbnails')
        .delete(id)
        .catch(() => undefined);
    }
  }

  private gridFsSink(
    id: Types.ObjectId,
    room: string,
    user: AuthUser,
  ): (name: string) => UploadSink {
    return (name) => {
      const metadata: StoredFileMetadata = {
        room,
        uploadedBy: new Types.ObjectId(user.id),
        name: sanitizeFileName(name),
        contentType: 'application/octet-stream',
        kind: 'file',
        sent: false,
      };
      // The stored name is the id: nothing the client sent decides where or how it is stored.
      const upload = this.bucket('files').openUploadStreamWithId(id, id.toHexString(), {
        metadata,
      });
      return {
        write: (chunk) =>
          new Promise<void>((resolve, reject) =>
            upload.write(chunk, (error) => (error ? reject(error) : resolve())),
          ),
        finish: () =>
          new Promise<void>((resolve, reject) => {
            upload.once('error', reject);
            upload.end(() => resolve());
          }),
        discard: async () => {
          await upload.abort().catch(() => undefined);
          await this.deleteStored([id]);
        },
      };
    };
  }

  private async writeThumbnail(id: Types.ObjectId, thumbnail: Buffer): Promise<void> {
    const upload = this.bucket('thumbnails').openUploadStreamWithId(id, id.toHexString());
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.end(thumbnail, () => resolve());
    });
  }

  private bucket(which: 'files' | 'thumbnails'): mongo.GridFSBucket {
    if (which === 'files') {
      this.filesBucket ??= this.openBucket(FILES_BUCKET);
      return this.filesBucket;
    }
    this.thumbnailsBucket ??= this.openBucket(THUMBNAILS_BUCKET);
    return this.thumbnailsBucket;
  }

  private openBucket(bucketName: string): mongo.GridFSBucket {
    const { db } = this.connection;
    if (!db) throw new Error('The database connection is not open');
    return new mongo.GridFSBucket(db, { bucketName, writeConcern: DURABLE_WRITE_CONCERN });
  }
}
