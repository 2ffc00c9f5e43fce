import { MESSAGE_ATTACHMENTS_MAX } from '@parley/contracts';
import { formatSize } from '../lib/format-size';
import type { UploadItem } from '../lib/upload-queue';

function percent(item: UploadItem): number {
  return item.total > 0 ? Math.min(100, Math.round((item.loaded / item.total) * 100)) : 0;
}

/** The files going with the next message: progress, errors, cancel, retry. */
export function UploadTray({
  items,
  onCancel,
  onRetry,
  notice,
}: {
  items: readonly UploadItem[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  /** E.g. that some files were over the limit. */
  notice?: string;
}) {
  if (items.length === 0 && !notice) return null;
  return (
    <div className="upload-tray">
      {items.length > 0 && (
        <ul className="upload-tray__list" aria-label="Files to send">
          {items.map((item) => (
            <li key={item.id} className={`upload upload--${item.status}`}>
              <span className="upload__name">{item.name}</span>
              <span className="upload__size">{formatSize(item.size)}</span>
              {item.status === 'uploading' && (
                <progress
                  className="upload__progress"
                  max={100}
                  value={percent(item)}
                  aria-label={`Uploading ${item.name}`}
                />
              )}
              {item.status === 'done' && <span className="upload__status">Ready</span>}
              {item.status === 'failed' && (
                <span className="upload__status upload__status--failed" role="alert">
                  {item.error}
                </span>
              )}
              {item.status === 'failed' && (
                <button
                  type="button"
                  className="button button--link"
                  onClick={() => onRetry(item.id)}
                >
                  Retry
                </button>
              )}
              <button
                type="button"
                className="button button--link"
                onClick={() => onCancel(item.id)}
                aria-label={`${item.status === 'uploading' ? 'Cancel upload of' : 'Remove'} ${item.name}`}
              >
                {item.status === 'uploading' ? 'Cancel' : 'Remove'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {notice && (
        <p className="upload-tray__notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}

export function refusedNotice(refused: number): string | undefined {
  if (refused === 0) return undefined;
  return `At most ${MESSAGE_ATTACHMENTS_MAX} files per message: ${refused} ${refused === 1 ? 'file was' : 'files were'} left out.`;
}
