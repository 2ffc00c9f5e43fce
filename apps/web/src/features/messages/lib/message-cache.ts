import type { MessageDto } from '@parley/contracts';
import type { MessagesData } from '../api/get-messages';

function bySeq(a: MessageDto, b: MessageDto): number {
  return a.seq - b.seq;
}

/** Of two copies of one message, the one to keep: the higher `version` (the first on a tie). */
export function newerCopy(held: MessageDto, incoming: MessageDto): MessageDto {
  return incoming.version > held.version ? incoming : held;
}

/**
 * Puts newer copies of cached messages in place (by id, keeping the higher `version`), page by
 * page; messages that are not cached are left out. The same object when nothing changed.
 */
function replaceNewer(data: MessagesData, incoming: Map<string, MessageDto>): MessagesData {
  let changed = false;
  const pages = data.pages.map((page) => {
    let pageChanged = false;
    const items = page.items.map((item) => {
      const copy = incoming.get(item.id);
      if (!copy || newerCopy(item, copy) === item) return item;
      pageChanged = true;
      return copy;
    });
    if (!pageChanged) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/**
 * Adds a message (from an ack, a `new_message` or anywhere else) to the cached history. A message
 * already cached — by id — is replaced only by a higher `version`, so events can arrive twice in
 * any order. Returns `undefined` when the history was never loaded: it will come with the first
 * fetch.
 */
export function upsertMessage(
  data: MessagesData | undefined,
  message: MessageDto,
): MessagesData | undefined {
  return upsertMessages(data, [message]);
}

/** `upsertMessage` for several messages at once (a `sync` page, a released run). */
export function upsertMessages(
  data: MessagesData | undefined,
  messages: MessageDto[],
): MessagesData | undefined {
  if (!data) return data;
  const cached = new Set(data.pages.flatMap((page) => page.items.map((item) => item.id)));
  const fresh = messages.filter((message) => !cached.has(message.id));
  const updated = replaceNewer(
    data,
    new Map(
      messages.filter((message) => cached.has(message.id)).map((message) => [message.id, message]),
    ),
  );
  if (fresh.length === 0) return updated;
  const [newest, ...older] = updated.pages;
  if (!newest) {
    return {
      pages: [{ items: [...fresh].sort(bySeq), nextBefore: null, changeSeq: 0 }],
      pageParams: [undefined],
    };
  }
  const items = [...newest.items, ...fresh].sort(bySeq);
  return { ...updated, pages: [{ ...newest, items }, ...older] };
}

/**
 * Applies changed messages (`message_updated`, `message_deleted`, a `sync`'s `changed`): each
 * replaces its cached copy unless that copy's `version` is as high. A change to a message that is
 * not cached is dropped: it is either in history not loaded yet (which will load as it is now)
 * or newer than the cache (which `sync`'s messages bring).
 */
export function applyChanges(
  data: MessagesData | undefined,
  messages: MessageDto[],
): MessagesData | undefined {
  if (!data || messages.length === 0) return data;
  const incoming = new Map<string, MessageDto>();
  for (const message of messages) {
    const held = incoming.get(message.id);
    incoming.set(message.id, held ? newerCopy(held, message) : message);
  }
  return replaceNewer(data, incoming);
}

/**
 * The change cursor a cached history supports: the lowest `changeSeq` of its pages, since each
 * page shows the room as of its own read and changes after the earliest read may be missing.
 * `undefined` without history, or when a page has none (a server without change cursors).
 */
export function historyChangeSeq(data: MessagesData | undefined): number | undefined {
  const cursors = (data?.pages ?? []).map((page) => page.changeSeq as number | undefined);
  if (cursors.length === 0 || cursors.some((cursor) => typeof cursor !== 'number')) {
    return undefined;
  }
  return Math.min(...(cursors as number[]));
}

/** A cached message by id. */
export function findMessage(data: MessagesData | undefined, id: string): MessageDto | undefined {
  for (const page of data?.pages ?? []) {
    const found = page.items.find((item) => item.id === id);
    if (found) return found;
  }
  return undefined;
}

/** The cached pages as one list: oldest first, one entry per id (its newest copy), by `seq`. */
export function flattenMessages(data: MessagesData | undefined): MessageDto[] {
  if (!data) return [];
  const byId = new Map<string, MessageDto>();
  for (const page of data.pages) {
    for (const message of page.items) {
      const held = byId.get(message.id);
      byId.set(message.id, held ? newerCopy(held, message) : message);
    }
  }
  return [...byId.values()].sort(bySeq);
}
