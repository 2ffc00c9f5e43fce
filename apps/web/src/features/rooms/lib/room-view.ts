import { replaceEqualDeep } from '@tanstack/react-query';
import {
  MESSAGE_PREVIEW_MAX_LENGTH,
  type MessageDto,
  type MessagePreviewDto,
  type RoomViewDto,
} from '@parley/contracts';

export function toPreview(message: MessageDto): MessagePreviewDto {
  const { id, username, displayName } = message.sender;
  return {
    seq: message.seq,
    sender: { id, username, displayName },
    excerpt: message.content.slice(0, MESSAGE_PREVIEW_MAX_LENGTH),
    createdAt: message.createdAt,
  };
}

function newerPreview(
  a: MessagePreviewDto | null,
  b: MessagePreviewDto | null,
): MessagePreviewDto | null {
  if (!a) return b;
  if (!b) return a;
  return b.seq > a.seq ? b : a;
}

/**
 * A room's view after a message of it: the newest seq and preview move forward, and my own
 * message is read by being sent (the server moves my cursor too; this is the same, at once).
 */
export function withMessage(room: RoomViewDto, message: MessageDto, ownId: string): RoomViewDto {
  const lastSeq = Math.max(room.lastSeq, message.seq);
  const lastMessage = newerPreview(room.lastMessage, toPreview(message));
  const readSeq = message.sender.id === ownId ? Math.max(room.readSeq, message.seq) : room.readSeq;
  if (lastSeq === room.lastSeq && lastMessage === room.lastMessage && readSeq === room.readSeq) {
    return room;
  }
  return { ...room, lastSeq, lastMessage, readSeq };
}

/** The read cursor only moves forward; a late or repeated `read_state` changes nothing. */
export function withReadSeq(room: RoomViewDto, readSeq: number): RoomViewDto {
  return readSeq > room.readSeq ? { ...room, readSeq } : room;
}

/**
 * A fresh copy of a room from the server, merged with what events already told this tab: seqs
 * never go back (a list may trail the newest message by up to a second, and a fetch can cross
 * a `new_message` or `read_state` on the way).
 */
export function mergeRoomView(previous: RoomViewDto | undefined, next: RoomViewDto): RoomViewDto {
  if (!previous || previous.id !== next.id) return next;
  return {
    ...next,
    lastSeq: Math.max(previous.lastSeq, next.lastSeq),
    lastMessage: newerPreview(previous.lastMessage, next.lastMessage),
    readSeq: Math.max(previous.readSeq, next.readSeq),
  };
}

export function mergeRoomLists(
  previous: RoomViewDto[] | undefined,
  next: RoomViewDto[],
): RoomViewDto[] {
  if (!previous) return next;
  const known = new Map(previous.map((room) => [room.id, room]));
  return next.map((room) => mergeRoomView(known.get(room.id), room));
}

/** React Query's `structuralSharing` for a room view, keeping what `mergeRoomView` keeps. */
export function shareRoomView(previous: unknown, next: unknown): unknown {
  return replaceEqualDeep(
    previous,
    mergeRoomView(previous as RoomViewDto | undefined, next as RoomViewDto),
  );
}

/** React Query's `structuralSharing` for the room list. */
export function shareRoomList(previous: unknown, next: unknown): unknown {
  return replaceEqualDeep(
    previous,
    mergeRoomLists(previous as RoomViewDto[] | undefined, next as RoomViewDto[]),
  );
}
