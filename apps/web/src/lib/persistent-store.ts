import { useSyncExternalStore } from 'react';

type Listener = () => void;

/**
 * A value kept in localStorage and shared by every component (and tab) that reads it. `parse`
 * guards against entries written by an older version or by hand.
 */
export class PersistentStore<T> {
  private value: T;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly key: string,
    private readonly parse: (raw: unknown) => T,
    private readonly storage: Storage = window.localStorage,
  ) {
    this.value = this.read();
  }

  get = (): T => this.value;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === this.key) {
        this.value = this.read();
        listener();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => {
      this.listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  };

  set(update: (current: T) => T): void {
    const next = update(this.value);
    if (next === this.value) return;
    this.value = next;
    try {
      this.storage.setItem(this.key, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the value still lives for this tab.
    }
    this.listeners.forEach((listener) => listener());
  }

  private read(): T {
    try {
      const raw = this.storage.getItem(this.key);
      return this.parse(raw === null ? undefined : (JSON.parse(raw) as unknown));
    } catch {
      return this.parse(undefined);
    }
  }
}

export function usePersistentStore<T>(store: PersistentStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
