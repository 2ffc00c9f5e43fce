/**
 * The mention grammar, shared by the server (which resolves and stores mentions) and the web
 * (which highlights them): `@` at the start or after a character that cannot be part of a name,
 * then a username. Trailing `.` and `-` end a sentence rather than a name ("thanks @ann.").
 */
const MENTION = /(^|[^\w@.-])@([a-z0-9_.-]{3,32})/gi;

/** `@room` notifies every member; it is never a username (the name is reserved). */
export const ROOM_MENTION = 'room';

/** In rooms with more members than this, only owners and moderators may use `@room`. */
export const ROOM_MENTION_OPEN_MAX_MEMBERS = 20;

/** Mentions found in a message's text, lowercase and without duplicates, in order of appearance. */
export interface MentionTokens {
  usernames: string[];
  room: boolean;
}

export interface MentionSpan {
  /** Index of the `@`. */
  start: number;
  /** Index after the name. */
  end: number;
  /** Lowercase name without `@`; `room` for `@room`. */
  name: string;
}

/** Every `@name` in `content`, with where it is (for highlighting). */
export function findMentions(content: string): MentionSpan[] {
  const spans: MentionSpan[] = [];
  for (const match of content.matchAll(MENTION)) {
    const name = match[2].replace(/[.-]+$/, '');
    if (name.length < 3) continue;
    const start = (match.index ?? 0) + match[1].length;
    spans.push({ start, end: start + 1 + name.length, name: name.toLowerCase() });
  }
  return spans;
}

export function mentionTokens(content: string): MentionTokens {
  const usernames = new Set<string>();
  let room = false;
  for (const { name } of findMentions(content)) {
    if (name === ROOM_MENTION) room = true;
    else usernames.add(name);
  }
  return { usernames: [...usernames], room };
}
