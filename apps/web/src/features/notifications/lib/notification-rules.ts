import type { MessageDto, NotifyLevel, RoomKind } from '@parley/contracts';

/** What the server assumes until the member chooses (see `NOTIFY_LEVELS`). */
export function defaultNotifyLevel(kind: RoomKind | undefined): NotifyLevel {
  return kind === 'direct' ? 'all' : 'mentions';
}

/** `@me` by name, or `@room`. */
export function mentionsUser(message: MessageDto, userId: string): boolean {
  return message.mentionsRoom || message.mentions.some((mention) => mention.userId === userId);
}

/** Whether a message deserves a desktop notification at this level; never my own. */
export function shouldNotify(message: MessageDto, userId: string, level: NotifyLevel): boolean {
  if (message.sender.id === userId) return false;
  switch (level) {
    case 'all':
      return true;
    case 'mentions':
      return mentionsUser(message, userId);
    case 'muted':
      return false;
  }
}

/** Long enough to read in a notification; the rest is in the room. */
export const NOTIFICATION_BODY_MAX_LENGTH = 180;

/** "Ann" in a direct conversation; "Ann in Book club" elsewhere. Plain text, never markup. */
export function notificationContent(
  message: MessageDto,
  room: { name: string; kind: RoomKind } | undefined,
): { title: string; body: string; tag: string } {
  const sender = message.sender.displayName;
  const title = room && room.kind !== 'direct' ? `${sender} in ${room.name}` : sender;
  const characters = Array.from(message.content);
  const body =
    characters.length > NOTIFICATION_BODY_MAX_LENGTH
      ? `${characters.slice(0, NOTIFICATION_BODY_MAX_LENGTH - 1).join('')}…`
      : message.content;
  return { title, body, tag: message.id };
}
