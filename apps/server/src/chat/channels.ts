/** The only places socket.io room names are spelled out. */
const ROOM_PREFIX = 'room:';
const USER_PREFIX = 'user:';

export function roomChannel(roomId: string): string {
  return `${ROOM_PREFIX}${roomId}`;
}

export function userChannel(userId: string): string {
  return `${USER_PREFIX}${userId}`;
}

/** The room id behind a channel name, or `undefined` for any other channel. */
export function roomIdOfChannel(channel: string): string | undefined {
  return channel.startsWith(ROOM_PREFIX) ? channel.slice(ROOM_PREFIX.length) : undefined;
}
