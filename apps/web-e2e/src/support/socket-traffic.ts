import type { BrowserContext, Page } from 'playwright-core';

export interface Emitted {
  event: string;
  payload: unknown;
  /** Resolves with the acknowledgement's body once the server answers (never without an ack). */
  answered: Promise<unknown>;
}

/**
 * Calls `listener` with every Socket.IO event a page emits, over either transport: WebSocket
 * frames, and the HTTP long-polling requests a connection starts with (packets separated by
 * 0x1e). Acknowledgements (`43<id>[…]`) resolve the matching emit's `answered`.
 */
export function watchEmits(page: Page, listener: (emitted: Emitted) => void): void {
  const waiting = new Map<number, (body: unknown) => void>();
  const sent = (raw: string) => {
    const match = /^42(\d*)(\[.*\])$/s.exec(raw);
    if (!match) return;
    const [event, payload] = JSON.parse(match[2]) as [string, unknown];
    const id = match[1] ? Number(match[1]) : undefined;
    const answered = new Promise<unknown>((resolve) => {
      if (id !== undefined) waiting.set(id, resolve);
    });
    listener({ event, payload, answered });
  };
  const received = (raw: string) => {
    const match = /^43(\d+)(\[.*\])$/s.exec(raw);
    if (!match) return;
    const id = Number(match[1]);
    const [body] = JSON.parse(match[2]) as [unknown];
    waiting.get(id)?.(body);
    waiting.delete(id);
  };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => sent(String(payload)));
    socket.on('framereceived', ({ payload }) => received(String(payload)));
  });
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/socket.io/')) {
      (request.postData() ?? '').split('\x1e').forEach(sent);
    }
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.method() === 'GET' && request.url().includes('/socket.io/')) {
      response.text().then(
        (text) => text.split('\x1e').forEach(received),
        () => undefined,
      );
    }
  });
}

/** Every `sync` a page sends, in order. */
export function recordSyncs(page: Page): Emitted[] {
  const syncs: Emitted[] = [];
  watchEmits(page, (emitted) => {
    if (emitted.event === 'sync') syncs.push(emitted);
  });
  return syncs;
}

/** Counts `send_message` emits per message text over every page of a context. */
export function countSends(context: BrowserContext): Map<string, number> {
  const counts = new Map<string, number>();
  const watch = (page: Page) =>
    watchEmits(page, ({ event, payload }) => {
      if (event !== 'send_message') return;
      const { content } = payload as { content: string };
      counts.set(content, (counts.get(content) ?? 0) + 1);
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return counts;
}
