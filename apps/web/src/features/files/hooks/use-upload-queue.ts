import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { FileDto } from '@parley/contracts';
import { uploadFile } from '../api/upload-file';
import { refusedNotice } from '../components/upload-tray';
import { UploadQueue, type UploadItem, type Uploader } from '../lib/upload-queue';

export interface Uploads {
  items: UploadItem[];
  /** Something uploaded and nothing pending or failed: a message may go (also without text). */
  ready: boolean;
  /** Files are on their way or failed: sending waits. */
  blocking: boolean;
  /** Starts uploading; says how many files were over the per-message limit. */
  add: (files: readonly File[]) => { refused: number };
  cancel: (id: string) => void;
  retry: (id: string) => void;
  /** The uploaded files for the message being sent; the list empties. */
  take: () => FileDto[];
  /** Files over the per-message limit, until the next add. */
  notice: string | undefined;
}

/** The files of one room's composer; every transfer stops when the composer goes. */
export function useUploadQueue(roomId: string, uploader?: Uploader): Uploads {
  const [queue] = useState(
    () =>
      new UploadQueue(uploader ?? ((file, onProgress) => uploadFile(roomId, file, { onProgress }))),
  );
  useEffect(() => () => queue.dispose(), [queue]);
  const items = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  return useMemo(
    () => ({
      items,
      ready: items.length > 0 && items.every((item) => item.status === 'done'),
      blocking: items.some((item) => item.status !== 'done'),
      notice,
      add: (files) => {
        const result = queue.add(files);
        setNotice(refusedNotice(result.refused));
        return result;
      },
      cancel: (id) => queue.cancel(id),
      retry: (id) => queue.retry(id),
      take: () => queue.take(),
    }),
    [items, queue, notice],
  );
}
