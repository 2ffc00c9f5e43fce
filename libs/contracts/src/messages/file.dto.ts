// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { IsISO8601, Matches } from 'class-validator';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';
import { AttachmentDto, FILE_ID_PATTERN } from './message.dto';

/** Per-file upload limit unless `MAX_UPLOAD_BYTES` says otherwise. */
export const MAX_UPLOAD_BYTES_DEFAULT = 25 * 1024 * 1024;
/** The multipart field that carries the file in `POST /api/rooms/{id}/files`. */
export const UPLOAD_FIELD = 'file';
/** Longest side of an image thumbnail, in pixels. */
export const THUMBNAIL_MAX_SIDE = 320;

/**
 * `POST /api/rooms/{id}/files` (multipart, field `file`): stored, not yet sent. Send it with
 * `send_message {…, attachments: [id]}`; files never sent are removed after a day.
 */
export class FileDto extends AttachmentDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @Matches(FILE_ID_PATTERN)
  uploadedBy!: string;

  @IsISO8601()
  createdAt!: string;
}

/** `GET /api/files/{id}` and `GET /api/files/{id}/thumbnail`. */
export class FileIdParamDto {
  @Matches(FILE_ID_PATTERN, { message: 'id must be a file id (24 hex characters)' })
  id!: string;
}
