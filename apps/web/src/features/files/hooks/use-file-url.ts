import { useEffect, useState } from 'react';
import { getFileBlob, type FileVariant } from '../api/get-file';

export type FileUrlState =
  { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error'; error: unknown };

const LOADING: FileUrlState = { status: 'loading' };

/**
 * An object URL for a file (fetched with the Bearer token), revoked when the component goes or
 * the file changes.
 */
export function useFileUrl(fileId: string, variant: FileVariant): FileUrlState {
  const key = `${fileId}/${variant}`;
  // Tagged with the file it belongs to: another file's URL is never shown while the next loads.
  const [loaded, setLoaded] = useState<{ key: string; state: FileUrlState } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    getFileBlob(fileId, variant, controller.signal).then(
      (blob) => {
        if (controller.signal.aborted) return;
        url = URL.createObjectURL(blob);
        setLoaded({ key, state: { status: 'ready', url } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ key, state: { status: 'error', error } });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [fileId, variant, key]);
  return loaded?.key === key ? loaded.state : LOADING;
}
