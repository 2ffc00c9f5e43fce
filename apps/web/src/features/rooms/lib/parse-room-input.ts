import { ROOM_ID_PATTERN } from '@parley/contracts';

/**
 * Accepts a bare room id or anything that contains `/rooms/{id}` — a full link, a path, a link
 * with a query string — and returns the id, or `null` when there is none.
 */
export function parseRoomInput(input: string): string | null {
  const text = input.trim();
  const fromPath = /\/rooms\/([0-9a-zA-Z]+)(?:[/?#]|$)/.exec(text)?.[1];
  const candidate = (fromPath ?? text).toLowerCase();
  return ROOM_ID_PATTERN.test(candidate) ? candidate : null;
}

export function roomLink(roomId: string, origin: string = window.location.origin): string {
  return `${origin}/rooms/${roomId}`;
}
