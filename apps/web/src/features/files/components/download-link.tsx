import { useState, type MouseEvent } from 'react';
import type { AttachmentDto } from '@parley/contracts';
import { describeError } from '@/lib/api-error';
import { filePath, getFileBlob } from '../api/get-file';

/** Long enough for the browser to start reading the Blob it was handed. */
const REVOKE_AFTER_MS = 60_000;

/**
 * "Download": the link names the file's real address, but a click fetches it with the Bearer
 * token (a plain navigation would carry none) and saves it under the uploader's name, which the
 * browser sanitizes like any `download` attribute.
 */
export function DownloadLink({ attachment }: { attachment: AttachmentDto }) {
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (state.busy) return;
    setState({ busy: true });
    getFileBlob(attachment.id, 'original').then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.download = attachment.name;
        anchor.rel = 'noopener';
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
        setState({ busy: false });
      },
      (error: unknown) => setState({ busy: false, error }),
    );
  };

  return (
    <>
      <a
        className="button button--small attachment-download"
        href={filePath(attachment.id, 'original')}
        download={attachment.name}
        onClick={onClick}
        aria-busy={state.busy || undefined}
        aria-label={`Download ${attachment.name}`}
      >
        {state.busy ? 'Downloading…' : 'Download'}
      </a>
      {state.error !== undefined && (
        <span className="form-error" role="alert">
          Download failed: {describeError(state.error)}
        </span>
      )}
    </>
  );
}
