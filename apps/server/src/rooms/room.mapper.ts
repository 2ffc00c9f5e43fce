import type { RoomDto } from '@parley/contracts';
import type { RoomRecord } from './room.schema';

export function toRoomDto(record: RoomRecord): RoomDto {
  return {
    id: record._id,
    name: record.name,
    createdBy: record.createdBy.toHexString(),
    lastSeq: record.lastSeq,
    createdAt: record.createdAt.toISOString(),
  };
}
