import { useState } from 'react';
import type { AttachmentDto } from '@parley/contracts';
import { useFileUrl } from '../hooks/use-file-url';
import { formatSize } from '../lib/format-size';
import { DownloadLink } from './download-link';
import { ImageViewer } from './image-viewer';

/** Fits a thumbnail's box before it loads, so the history does not jump when it does. */
const THUMBNAIL_BOX = 240;

function thumbnailSize(attachment: AttachmentDto): { width?: number; height?: number } {
  const { width, height } = attachment;
  if (!width || !height) return {};
  const scale = Math.min(1, THUMBNAIL_BOX / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** The type the server found in the content (never what the uploader declared). */
function describeType(attachment: AttachmentDto): string {
  return attachment.contentType || 'unknown type';
}

function ImageAttachment({
  attachment,
  onOpen,
}: {
  attachment: AttachmentDto;
  onOpen: () => void;
}) {
  const thumbnail = useFileUrl(attachment.id, 'thumbnail');
  const size = thumbnailSize(attachment);
  return (
    <button
      type="button"
      className="attachment-image"
      onClick={onOpen}
      aria-label={`Open image ${attachment.name}`}
      style={size.width ? { width: size.width, height: size.height } : undefined}
    >
      {thumbnail.status === 'ready' ? (
        <img src={thumbnail.url} alt={attachment.name} width={size.width} height={size.height} />
      ) : (
        <span className="attachment-image__placeholder">
          {thumbnail.status === 'error' ? 'Image unavailable' : 'Loading image…'}
        </span>
      )}
    </button>
  );
}

function FileAttachment({ attachment }: { attachment: AttachmentDto }) {
  return (
    <div className="attachment-file">
      <span className="attachment-file__text">
        {/* The uploader's name, as text: React escapes it. */}
        <span className="attachment-file__name">{attachment.name}</span>
        <span className="attachment-file__detail">
          {formatSize(attachment.size)} · {describeType(attachment)}
        </span>
      </span>
      <DownloadLink attachment={attachment} />
    </div>
  );
}

/** A message's files: images as thumbnails that open the viewer, others as cards. */
export function MessageAttachments({ attachments }: { attachments: readonly AttachmentDto[] }) {
  const [open, setOpen] = useState<AttachmentDto | null>(null);
  if (attachments.length === 0) return null;
  return (
    <div className="attachments">
      {attachments.map((attachment) =>
        attachment.kind === 'image' ? (
          <ImageAttachment
            key={attachment.id}
            attachment={attachment}
            onOpen={() => setOpen(attachment)}
          />
        ) : (
          <FileAttachment key={attachment.id} attachment={attachment} />
        ),
      )}
      {open && <ImageViewer attachment={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
