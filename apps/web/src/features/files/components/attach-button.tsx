import { useRef } from 'react';

/** "Attach files": a button for people, the file input behind it for the browser. */
export function AttachButton({
  onFiles,
  disabled = false,
}: {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button--ghost composer__attach"
        onClick={() => inputRef.current?.click()}
        disabled={disabled}
        aria-label="Attach files"
        title="Attach files (or drop or paste them)"
      >
        Attach
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        className="visually-hidden"
        // The button above is the way in; the input itself is not a second tab stop.
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        disabled={disabled}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // The same file chosen again must fire `change` again.
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
