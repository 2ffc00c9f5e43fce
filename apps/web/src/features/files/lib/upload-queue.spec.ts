import type { FileDto } from '@parley/contracts';
import { ApiRequestError } from '@/lib/api-error';
import { UploadCanceledError, type UploadHandle, type UploadProgress } from '../api/upload-file';
import { UploadQueue, type Uploader } from './upload-queue';

const ROOM = 'aaaaaaaaaa';

function stored(name: string, index: number): FileDto {
  return {
    id: index.toString(16).padStart(24, '0'),
    name,
    size: 10,
    contentType: 'text/plain',
    kind: 'file',
    width: null,
    height: null,
    room: ROOM,
    uploadedBy: 'f'.repeat(24),
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

interface Transfer {
  file: File;
  progress: (progress: UploadProgress) => void;
  resolve: (file: FileDto) => void;
  reject: (error: unknown) => void;
  abort: jest.Mock;
}

/** An uploader whose transfers the test finishes by hand; abort rejects like the real one. */
function manualUploader() {
  const transfers: Transfer[] = [];
  const uploader: Uploader = (file, onProgress) => {
    let resolve!: (file: FileDto) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<FileDto>((done, fail) => {
      resolve = done;
      reject = fail;
    });
    const abort = jest.fn(() => reject(new UploadCanceledError()));
    transfers.push({ file, progress: onProgress, resolve, reject, abort });
    return { promise, abort } satisfies UploadHandle;
  };
  return { uploader, transfers };
}

function file(name: string, size = 10): File {
  return new File(['x'.repeat(size)], name, { type: 'text/plain' });
}

/** Lets the queue see a settled transfer (its handlers run as microtasks). */
const settle = () => Promise.resolve().then(() => undefined);

describe('UploadQueue', () => {
  it('uploads at once, reports progress, and hands the stored files to the message', async () => {
    const { uploader, transfers } = manualUploader();
    const queue = new UploadQueue(uploader);
    const changes = jest.fn();
    queue.subscribe(changes);

    queue.add([file('a.txt', 100), file('b.txt', 50)]);
    expect(transfers.map((transfer) => transfer.file.name)).toEqual(['a.txt', 'b.txt']);
    expect(
      queue.getSnapshot().map((item) => [item.name, item.status, item.loaded, item.total]),
    ).toEqual([
      ['a.txt', 'uploading', 0, 100],
      ['b.txt', 'uploading', 0, 50],
    ]);
    expect(queue.ready).toBe(false);

    transfers[0].progress({ loaded: 40, total: 160 });
    expect(queue.getSnapshot()[0]).toMatchObject({ loaded: 40, total: 160 });

    transfers[0].resolve(stored('a.txt', 1));
    transfers[1].resolve(stored('b.txt', 2));
    await settle();
    expect(queue.getSnapshot().map((item) => item.status)).toEqual(['done', 'done']);
    expect(queue.getSnapshot()[0].loaded).toBe(160);
    expect(queue.ready).toBe(true);
    expect(changes).toHaveBeenCalled();

    expect(queue.take().map((taken) => taken.name)).toEqual(['a.txt', 'b.txt']);
    expect(queue.getSnapshot()).toEqual([]);
    expect(queue.ready).toBe(false);
  });

  it('cancels an upload in flight: the request is aborted and the file is gone without an error', async () => {
    const { uploader, transfers } = manualUploader();
    const queue = new UploadQueue(uploader);
    queue.add([file('big.bin'), file('small.txt')]);
    transfers[0].progress({ loaded: 5, total: 10 });

    queue.cancel(queue.getSnapshot()[0].id);
    await settle();
    expect(transfers[0].abort).toHaveBeenCalledTimes(1);
    expect(queue.getSnapshot().map((item) => item.name)).toEqual(['small.txt']);

    // A late progress event of the aborted request changes nothing.
    transfers[0].progress({ loaded: 9, total: 10 });
    expect(queue.getSnapshot().map((item) => item.name)).toEqual(['small.txt']);
  });

  it('words the errors people can act on and retries a failed file', async () => {
    const { uploader, transfers } = manualUploader();
    const queue = new UploadQueue(uploader);
    queue.add([file('huge.iso'), file('page.html'), file('flaky.txt')]);
    transfers[0].reject(
      new ApiRequestError({ code: 'payload_too_large', message: 'too large' }, 413),
    );
    transfers[1].reject(
      new ApiRequestError({ code: 'unsupported_file', message: 'not allowed' }, 415),
    );
    transfers[2].reject(
      new ApiRequestError({ code: 'internal_error', message: 'Could not reach the server.' }),
    );
    await settle();
    expect(queue.getSnapshot().map((item) => [item.status, item.error])).toEqual([
      ['failed', 'File too large (max 25 MB)'],
      ['failed', 'This kind of file cannot be sent.'],
      ['failed', 'Could not reach the server.'],
    ]);
    expect(queue.ready).toBe(false);

    const flaky = queue.getSnapshot()[2].id;
    queue.retry(flaky);
    expect(transfers).toHaveLength(4);
    expect(transfers[3].file.name).toBe('flaky.txt');
    expect(queue.getSnapshot()[2]).toMatchObject({ status: 'uploading', error: undefined });
    transfers[3].resolve(stored('flaky.txt', 3));
    await settle();
    expect(queue.getSnapshot()[2].status).toBe('done');

    // A failed file holds the message back until it is removed.
    queue.cancel(queue.getSnapshot()[0].id);
    queue.cancel(queue.getSnapshot()[0].id);
    expect(queue.ready).toBe(true);
    expect(queue.take().map((taken) => taken.name)).toEqual(['flaky.txt']);
  });

  it('takes at most the per-message limit and says how many were left out', () => {
    const { uploader, transfers } = manualUploader();
    const queue = new UploadQueue(uploader, 3);
    expect(queue.add([file('1'), file('2')])).toEqual({ refused: 0 });
    expect(queue.add([file('3'), file('4'), file('5')])).toEqual({ refused: 2 });
    expect(transfers.map((transfer) => transfer.file.name)).toEqual(['1', '2', '3']);
  });

  it('stops every transfer when disposed', () => {
    const { uploader, transfers } = manualUploader();
    const queue = new UploadQueue(uploader);
    queue.add([file('a'), file('b')]);
    queue.dispose();
    expect(transfers.map((transfer) => transfer.abort.mock.calls.length)).toEqual([1, 1]);
    expect(queue.getSnapshot()).toEqual([]);
  });
});
