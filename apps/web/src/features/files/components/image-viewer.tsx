import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { AttachmentDto } from '@parley/contracts';
import { describeError } from '@/lib/api-error';
import { useFileUrl } from '../hooks/use-file-url';
import { formatSize } from '../lib/format-size';
import { DownloadLink } from './download-link';

const FOCUSABLE = 'a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The full image in a modal dialog: focus moves to "Close" and stays inside (Tab wraps),
 * Escape or the backdrop closes it, and focus returns to what opened it. Rendered in the body so
 * no scrolling container clips it; the rest of the page is inert meanwhile.
 */
export function ImageViewer({
  attachment,
  onClose,
}: {
  attachment: AttachmentDto;
  onClose: () => void;
}) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const image = useFileUrl(attachment.id, 'original');

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    // Everything else stops taking focus and clicks while the viewer is open.
    const siblings = [...document.body.children].filter(
      (element): element is HTMLElement =>
        element instanceof HTMLElement && !element.contains(dialogRef.current) && !element.inert,
    );
    siblings.forEach((element) => (element.inert = true));
    return () => {
      siblings.forEach((element) => (element.inert = false));
      opener?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable.at(0);
    const last = focusable.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="image-viewer" onClick={onClose}>
      <div
        ref={dialogRef}
        className="image-viewer__dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        // Clicks inside the dialog do not reach the backdrop.
        onClick={(event) => event.stopPropagation()}
      >
        <header className="image-viewer__header">
          <h2 id={titleId} className="image-viewer__title">
            {attachment.name}
          </h2>
          <span className="image-viewer__detail">
            {attachment.width && attachment.height
              ? `${attachment.width} × ${attachment.height}, `
              : ''}
            {formatSize(attachment.size)}
          </span>
          <DownloadLink attachment={attachment} />
          <button ref={closeRef} type="button" className="button button--small" onClick={onClose}>
            Close
          </button>
        </header>
        <div className="image-viewer__body">
          {image.status === 'ready' && (
            <img className="image-viewer__image" src={image.url} alt={attachment.name} />
          )}
          {image.status === 'loading' && <p className="image-viewer__status">Loading image…</p>}
          {image.status === 'error' && (
            <p className="image-viewer__status" role="alert">
              Could not load the image. {describeError(image.error)}
            </p>
          )}
        </div>
      </div>
    </div>,
    document.body,
  );
}
