import type { MessageDto } from '@parley/contracts';
import type { MessagesData } from '../api/get-messages';

function bySeq(a: MessageDto, b: MessageDto): number {
  return a.seq - b.seq;
}

/**
 * Adds a message (from an ack, a `new_message` or anywhere else) to the cached history. A message
 * already cached — by id — leaves the cache untouched, so events can arrive twice in any order.
 * Returns `undefined` when the history was never loaded: it will come with the first fetch.
 */
export function upsertMessage(
  data: MessagesData | undefined,
  message: MessageDto,
): MessagesData | undefined {
  if (!data) return data;
  if (data.pages.some((page) => page.items.some((item) => item.id === message.id))) return data;
  const [newest, ...older] = data.pages;
  if (!newest) {
    return { pages: [{ items: [message], nextBefore: null }], pageParams: [undefined] };
  }
  const items = [...newest.items, message].sort(bySeq);
  return { ...data, pages: [{ ...newest, items }, ...older] };
}

/** `upsertMessage` for several messages at once (a `sync` page, a released run). */
export function upsertMessages(
  data: MessagesData | undefined,
  messages: MessageDto[],
): MessagesData | undefined {
  if (!data) return data;
  const cached = new Set(data.pages.flatMap((page) => page.items.map((item) => item.id)));
  const fresh = messages.filter((message) => !cached.has(message.id));
  if (fresh.length === 0) return data;
  const [newest, ...older] = data.pages;
  if (!newest) {
    return {
      pages: [{ items: [...fresh].sort(bySeq), nextBefore: null }],
      pageParams: [undefined],
    };
  }
  const items = [...newest.items, ...fresh].sort(bySeq);
  return { ...data, pages: [{ ...newest, items }, ...older] };
}

/** The cached pages as one list: oldest first, one entry per id, ordered by `seq`. */
export function flattenMessages(data: MessagesData | undefined): MessageDto[] {
  if (!data) return [];
  const byId = new Map<string, MessageDto>();
  for (const page of data.pages) {
    for (const message of page.items) byId.set(message.id, message);
  }
  return [...byId.values()].sort(bySeq);
}
