import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ATTACHMENT_KINDS, type AttachmentKind } from '@parley/contracts';
import { Types } from 'mongoose';

/** GridFS bucket of uploaded files: `files.files` (one document per file) and `files.chunks`. */
export const FILES_BUCKET = 'files';
/** Thumbnails of images, stored under the same id as the image they show. */
export const THUMBNAILS_BUCKET = 'thumbnails';

/** What Parley knows of an upload, kept in the GridFS file document's `metadata`. */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class StoredFileMetadata {
  /** Room id the file was uploaded to; it can only be sent there. */
  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Types.ObjectId, required: true })
  uploadedBy!: Types.ObjectId;

  /** The uploader's file name, sanitised, for display only: never used to store or serve it. */
  @Prop({ type: String, required: true })
  name!: string;

  /** Decided from the content (see `inspectImage`), never from what the client declared. */
  @Prop({ type: String, required: true })
  contentType!: string;

  @Prop({ type: String, required: true, enum: ATTACHMENT_KINDS })
  kind!: AttachmentKind;

  @Prop({ type: Number })
  width?: number;

  @Prop({ type: Number })
  height?: number;

  /**
   * False until a `send_message` claims the file; unsent files older than a day are swept. A
   * plain boolean (not an absent field) so the sweep is an equality on an index.
   */
  @Prop({ type: Boolean, required: true })
  sent!: boolean;

  /** The `clientMessageId` of the send that claimed it: a resend of that send claims it again. */
  @Prop({ type: String })
  sentWith?: string;

  /** The message carrying the file, once stored: only then may the room's readers download it. */
  @Prop({ type: Types.ObjectId })
  message?: Types.ObjectId;
}

const StoredFileMetadataSchema = SchemaFactory.createForClass(StoredFileMetadata);

/**
 * The GridFS file document, read and updated through Mongoose; written only by the driver's
 * `GridFSBucket` (which owns `length`, `chunkSize`, `uploadDate` and `filename`).
 */
@Schema({
  collection: `${FILES_BUCKET}.files`,
  versionKey: false,
  strict: 'throw',
  strictQuery: 'throw',
})
export class StoredFile {
  @Prop({ type: Number, required: true })
  length!: number;

  @Prop({ type: Number, required: true })
  chunkSize!: number;

  @Prop({ type: Date, required: true })
  uploadDate!: Date;

  /** The file's own id in hex: stored names never come from user input. */
  @Prop({ type: String, required: true })
  filename!: string;

  @Prop({ type: StoredFileMetadataSchema, required: true })
  metadata!: StoredFileMetadata;
}

export const StoredFileSchema = SchemaFactory.createForClass(StoredFile);
// Deleting a room's files with the room.
StoredFileSchema.index({ 'metadata.room': 1 });
// A deleted message's files.
StoredFileSchema.index({ 'metadata.message': 1 });
// The sweep of files never sent: `{sent: false, uploadDate < cutoff}`.
StoredFileSchema.index({ 'metadata.sent': 1, uploadDate: 1 });

export type StoredFileRecord = StoredFile & { _id: Types.ObjectId };
