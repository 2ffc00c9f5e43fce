import { MESSAGE_ATTACHMENTS_MAX, type FileDto } from '@parley/contracts';
import { randomId } from '@/lib/uuid';
import { isUploadCanceled, type UploadHandle, type UploadProgress } from '../api/upload-file';
import { describeUploadError } from './upload-errors';

export type UploadStatus = 'uploading' | 'done' | 'failed';

/** One file on its way to becoming an attachment. */
export interface UploadItem {
  id: string;
  name: string;
  size: number;
  type: string;
  status: UploadStatus;
  /** Bytes sent of `total`; the total is the file's size until the browser reports the body's. */
  loaded: number;
  total: number;
  /** Why it failed, for people. */
  error?: string;
  /** The stored file, once `done`. */
  file?: FileDto;
}

export type Uploader = (file: File, onProgress: (progress: UploadProgress) => void) => UploadHandle;

const NO_ITEMS: UploadItem[] = [];

/**
 * The files a composer is about to send: each one uploads at once (with progress), can be
 * canceled (the request is aborted) or retried, and once every one is done `take` hands their
 * ids to the message. At most `MESSAGE_ATTACHMENTS_MAX` per message. Framework-free; React reads
 * it through `subscribe` and `getSnapshot`.
 */
export class UploadQueue {
  private items: UploadItem[] = NO_ITEMS;
  private readonly files = new Map<string, File>();
  private readonly handles = new Map<string, UploadHandle>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly uploader: Uploader,
    private readonly limit: number = MESSAGE_ATTACHMENTS_MAX,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The same array until something changes. */
  getSnapshot = (): UploadItem[] => this.items;

  /** Starts uploading; returns how many files did not fit under the per-message limit. */
  add(files: readonly File[]): { refused: number } {
    const room = Math.max(0, this.limit - this.items.length);
    const accepted = files.slice(0, room);
    for (const file of accepted) {
      const id = randomId();
      this.files.set(id, file);
      this.publish([
        ...this.items,
        {
          id,
          name: file.name,
          size: file.size,
          type: file.type,
          status: 'uploading',
          loaded: 0,
          total: file.size,
        },
      ]);
      this.start(id, file);
    }
    return { refused: files.length - accepted.length };
  }

  /** Stops an upload in flight, or drops a file from the message; either way it is gone. */
  cancel(id: string): void {
    const handle = this.handles.get(id);
    this.handles.delete(id);
    this.files.delete(id);
    this.publish(this.items.filter((item) => item.id !== id));
    handle?.abort();
  }

  retry(id: string): void {
    const file = this.files.get(id);
    const item = this.items.find((candidate) => candidate.id === id);
    if (!file || item?.status !== 'failed') return;
    this.update(id, { status: 'uploading', loaded: 0, total: file.size, error: undefined });
    this.start(id, file);
  }

  /** Whether a message can go now: something uploaded and nothing still on its way or failed. */
  get ready(): boolean {
    return this.items.length > 0 && this.items.every((item) => item.status === 'done');
  }

  /** Hands the uploaded files to a message (in the order they were added) and empties the queue. */
  take(): FileDto[] {
    const taken = this.items.flatMap((item) =>
      item.status === 'done' && item.file ? [item.file] : [],
    );
    for (const item of this.items) {
      if (item.status === 'done') this.files.delete(item.id);
    }
    this.publish(this.items.filter((item) => item.status !== 'done'));
    return taken;
  }

  /** The composer is going away: stop every transfer. */
  dispose(): void {
    const handles = [...this.handles.values()];
    this.handles.clear();
    this.files.clear();
    this.publish(NO_ITEMS);
    handles.forEach((handle) => handle.abort());
  }

  private start(id: string, file: File): void {
    const handle = this.uploader(file, ({ loaded, total }) => {
      if (this.handles.get(id) === handle) this.update(id, { loaded, total });
    });
    this.handles.set(id, handle);
    handle.promise.then(
      (stored) => {
        if (this.handles.get(id) !== handle) return;
        this.handles.delete(id);
        const item = this.items.find((candidate) => candidate.id === id);
        this.update(id, { status: 'done', file: stored, loaded: item?.total ?? file.size });
      },
      (error: unknown) => {
        // A canceled upload was already removed; a stale handle (after a retry) says nothing.
        if (isUploadCanceled(error) || this.handles.get(id) !== handle) return;
        this.handles.delete(id);
        this.update(id, { status: 'failed', error: describeUploadError(error) });
      },
    );
  }

  private update(id: string, change: Partial<UploadItem>): void {
    this.publish(this.items.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }

  private publish(items: UploadItem[]): void {
    this.items = items;
    this.listeners.forEach((listener) => listener());
  }
}
