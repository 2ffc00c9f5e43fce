import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { MESSAGE_MAX_LENGTH } from '@parley/contracts';
import { describeError } from '@/lib/api-error';

/** In place of a message's text: Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function MessageEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (content: string) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();

  useEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }, []);

  const trimmed = value.trim();
  const tooLong = Array.from(trimmed).length > MESSAGE_MAX_LENGTH;

  const save = () => {
    if (saving || trimmed.length === 0 || tooLong) return;
    if (trimmed === initial.trim()) {
      onCancel();
      return;
    }
    setSaving(true);
    setError(null);
    onSave(trimmed).then(
      () => onCancel(),
      (reason: unknown) => {
        setSaving(false);
        setError(describeError(reason));
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    }
  };

  return (
    <div className="message-editor">
      <textarea
        ref={ref}
        className="message-editor__input"
        aria-label="Edit message"
        aria-describedby={error ? errorId : undefined}
        value={value}
        rows={Math.min(8, value.split('\n').length)}
        disabled={saving}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="message-editor__buttons">
        <button
          type="button"
          className="button button--primary button--small"
          disabled={saving || trimmed.length === 0 || tooLong}
          onClick={save}
        >
          Save
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          Cancel
        </button>
        <span className="message-editor__hint">Enter to save, Escape to cancel</span>
      </div>
      {error && (
        <p id={errorId} role="alert" className="message-editor__error">
          {error}
        </p>
      )}
    </div>
  );
}
