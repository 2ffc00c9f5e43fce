import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxEntry, OutboxStore } from '@parley/chat-client';

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxEntry };
}

const DB_VERSION = 1;

/** One database per user, so a different user on the same browser can never see (or send) them. */
export function outboxDatabaseName(userId: string): string {
  return `parley-outbox:${userId}`;
}

/**
 * The outbox in IndexedDB, keyed by `clientMessageId`: entries survive a reload, a crash and a
 * browser restart, and every tab of the user reads the same ones. `idb` wraps the request/event
 * API in promises; the schema and the transactions are IndexedDB's own.
 */
export class IdbOutboxStore implements OutboxStore {
  private database: Promise<IDBPDatabase<OutboxSchema>> | undefined;

  constructor(private readonly userId: string) {}

  async list(): Promise<OutboxEntry[]> {
    return (await this.open()).getAll('entries');
  }

  async get(clientMessageId: string): Promise<OutboxEntry | undefined> {
    return (await this.open()).get('entries', clientMessageId);
  }

  async put(entry: OutboxEntry): Promise<void> {
    await (await this.open()).put('entries', entry);
  }

  async delete(clientMessageId: string): Promise<void> {
    await (await this.open()).delete('entries', clientMessageId);
  }

  /** Closes the connection (a newer version elsewhere, tests); the next call opens it again. */
  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    if (database) (await database).close();
  }

  private open(): Promise<IDBPDatabase<OutboxSchema>> {
    this.database ??= this.openDatabase().catch((error: unknown) => {
      this.database = undefined;
      throw error;
    });
    return this.database;
  }

  private openDatabase(): Promise<IDBPDatabase<OutboxSchema>> {
    return openDB<OutboxSchema>(outboxDatabaseName(this.userId), DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('entries', { keyPath: 'clientMessageId' });
      },
      // Another tab opened a newer version: let it upgrade; this tab reopens on its next call.
      blocking: () => void this.close(),
      // The browser closed it (storage cleared, disk error): the next call opens it again.
      terminated: () => {
        this.database = undefined;
      },
    });
  }
}
