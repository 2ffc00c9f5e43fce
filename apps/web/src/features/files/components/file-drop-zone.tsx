import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { carriesFiles, filesOf } from '../lib/transfer-files';

/**
 * Files dropped anywhere on the room go to its composer. Only drags that carry files are taken
 * (text dragged within the page keeps its usual behaviour).
 */
export function FileDropZone({
  onFiles,
  disabled = false,
  children,
  className,
}: {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  children: ReactNode;
  className?: string;
}) {
  const [over, setOver] = useState(false);
  /** dragenter/dragleave fire for every child crossed: count them to know when it really left. */
  const depth = useRef(0);

  const accepts = (event: DragEvent) => !disabled && carriesFiles(event.dataTransfer);

  return (
    <div
      className={`${className ?? ''} file-drop-zone${over ? ' file-drop-zone--over' : ''}`}
      onDragEnter={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        // Without this the browser opens the file instead of dropping it here.
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!accepts(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = filesOf(event.dataTransfer);
        if (files.length > 0) onFiles(files);
      }}
    >
      {children}
      {over && (
        <div className="file-drop-zone__overlay" aria-hidden="true">
          Drop files to attach them
        </div>
      )}
    </div>
  );
}
