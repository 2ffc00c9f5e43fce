import type { FileDto } from '@parley/contracts';
import type { Types } from 'mongoose';
import type { StoredFileRecord } from './stored-file.schema';

/** What a message keeps of a file it carries (the shape of `MessageAttachment`). */
export interface AttachmentRecord {
  file: Types.ObjectId;
  name: string;
  size: number;
  contentType: string;
  kind: 'image' | 'file';
  width?: number;
  height?: number;
}

export function toFileDto(record: StoredFileRecord): FileDto {
  const { metadata } = record;
  return {
    id: record._id.toHexString(),
    name: metadata.name,
    size: record.length,
    contentType: metadata.contentType,
    kind: metadata.kind,
    width: metadata.width ?? null,
    height: metadata.height ?? null,
    room: metadata.room,
    uploadedBy: metadata.uploadedBy.toHexString(),
    createdAt: record.uploadDate.toISOString(),
  };
}

export function toAttachmentRecord(record: StoredFileRecord): AttachmentRecord {
  const { metadata } = record;
  return {
    file: record._id,
    name: metadata.name,
    size: record.length,
    contentType: metadata.contentType,
    kind: metadata.kind,
    ...(metadata.width !== undefined ? { width: metadata.width } : {}),
    ...(metadata.height !== undefined ? { height: metadata.height } : {}),
  };
}
