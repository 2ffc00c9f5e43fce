import 'fake-indexeddb/auto';
import { Outbox, type ExclusiveRunner, type OutboxEntry } from '@parley/chat-client';
import type { MessageDto, SendMessageDto } from '@parley/contracts';
import { IdbOutboxStore, outboxDatabaseName } from './idb-outbox-store';
import { webLocksRunner } from './web-locks-runner';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

let users = 0;
/** A fresh user per test: every database starts empty. */
const nextUser = () => `user-${(users += 1)}`;

function entry(clientMessageId: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    clientMessageId,
    room: 'abcdefghij',
    content: `text ${clientMessageId}`,
    createdAt: 1_000,
    state: 'pending',
    attempts: 0,
    ...overrides,
  };
}

function stored(payload: SendMessageDto, seq: number): MessageDto {
  return {
    id: `m-${payload.clientMessageId}`,
    room: payload.room,
    seq,
    sender: { id: 'me', username: 'me', displayName: 'Me' },
    content: payload.content,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: payload.clientMessageId,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...UNCHANGED_MESSAGE_FIELDS,
  };
}

/** Web Locks' `ifAvailable` semantics in one process: a held key answers `false` at once. */
function sharedLocks(): { run: ExclusiveRunner; refused: () => number } {
  const held = new Set<string>();
  let refused = 0;
  const run: ExclusiveRunner = async (key, task) => {
    if (held.has(key)) {
      refused += 1;
      return false;
    }
    held.add(key);
    try {
      await task();
    } finally {
      held.delete(key);
    }
    return true;
  };
  return { run, refused: () => refused };
}

describe('IdbOutboxStore', () => {
  const stores: IdbOutboxStore[] = [];
  const open = (userId: string) => {
    const store = new IdbOutboxStore(userId);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('puts, gets, lists and deletes entries by clientMessageId', async () => {
    const store = open(nextUser());
    await store.put(entry('a'));
    await store.put(entry('b', { createdAt: 2_000 }));
    await store.put(entry('a', { state: 'failed', attempts: 1 }));

    expect(await store.get('a')).toEqual(entry('a', { state: 'failed', attempts: 1 }));
    expect((await store.list()).map((item) => item.clientMessageId).sort()).toEqual(['a', 'b']);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.list()).toEqual([entry('b', { createdAt: 2_000 })]);
  });

  it('keeps entries for the next page of the same user, and apart from other users', async () => {
    const ann = nextUser();
    const ben = nextUser();
    const before = open(ann);
    await before.put(entry('a', { lastError: { code: 'rate_limited', message: 'slow down' } }));
    await before.close();

    // A reload: a new store on the same database.
    expect(await open(ann).list()).toEqual([
      entry('a', { lastError: { code: 'rate_limited', message: 'slow down' } }),
    ]);
    expect(await open(ben).list()).toEqual([]);
    expect(outboxDatabaseName(ann)).not.toBe(outboxDatabaseName(ben));
  });

  it('lets two tabs drain one outbox with every entry sent exactly once', async () => {
    const user = nextUser();
    const locks = sharedLocks();
    const sent: string[] = [];
    let seq = 0;
    const tab = () =>
      new Outbox({
        store: open(user),
        exclusive: locks.run,
        canSend: () => true,
        send: (payload) => {
          sent.push(payload.clientMessageId);
          seq += 1;
          return Promise.resolve(stored(payload, seq));
        },
      });
    const first = tab();
    const second = tab();

    const store = open(user);
    for (const [index, id] of ['a', 'b', 'c'].entries()) {
      await store.put(entry(id, { createdAt: 1_000 + index }));
    }
    await Promise.all([first.flush(), second.flush(), first.flush()]);
    // The tab that found the room locked looks again later; by then nothing is left.
    await second.flush();
    first.stop();
    second.stop();

    expect(locks.refused()).toBeGreaterThan(0);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(await store.list()).toEqual([]);
  });
});

describe('webLocksRunner', () => {
  it('runs alone without Web Locks', async () => {
    const task = jest.fn(() => Promise.resolve());
    await expect(webLocksRunner(undefined)('key', task)).resolves.toBe(true);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('asks for the lock only if available and skips the task when another tab holds it', async () => {
    let available = true;
    const request = jest.fn(
      (_name: string, _options: LockOptions, callback: (lock: Lock | null) => Promise<boolean>) =>
        callback(available ? { name: 'key', mode: 'exclusive' } : null),
    );
    const runner = webLocksRunner({ request } as unknown as LockManager);
    const task = jest.fn(() => Promise.resolve());

    await expect(runner('parley-outbox:abcdefghij', task)).resolves.toBe(true);
    available = false;
    await expect(runner('parley-outbox:abcdefghij', task)).resolves.toBe(false);
    expect(task).toHaveBeenCalledTimes(1);
    expect(request).toHaveBeenCalledWith(
      'parley-outbox:abcdefghij',
      { ifAvailable: true },
      expect.any(Function),
    );
  });
});
