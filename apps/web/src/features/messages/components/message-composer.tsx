import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { MESSAGE_MAX_LENGTH } from '@parley/contracts';

/** The counter appears once a message gets this close to the limit. */
const WARN_REMAINING = 500;

/**
 * Counts what the server's length check counts: the trimmed text, by code point, so an emoji
 * is one character and not two.
 */
export function messageLength(value: string): number {
  return Array.from(value.trim()).length;
}

export interface MessageComposerProps {
  onSend: (content: string) => void;
  disabled?: boolean;
  /** Shown as the placeholder, e.g. why sending is not possible yet. */
  placeholder?: string;
  /** Every edit the user makes (not the clearing after a send), e.g. for the typing indicator. */
  onDraftChange?: (draft: string) => void;
  onBlur?: () => void;
}

export function MessageComposer({
  onSend,
  disabled = false,
  placeholder,
  onDraftChange,
  onBlur,
}: MessageComposerProps) {
  const [value, setValue] = useState('');
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const inputId = useId();

  const length = messageLength(value);
  const remaining = MESSAGE_MAX_LENGTH - length;
  const tooLong = remaining < 0;
  const canSend = !disabled && length > 0 && !tooLong;

  // Grow with the text up to the CSS max-height, then scroll inside.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }, [value]);

  const submit = () => {
    if (!canSend) return;
    onSend(value.trim());
    setValue('');
    textareaRef.current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composition uses Enter to pick a candidate; that must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        Message
      </label>
      <textarea
        id={inputId}
        ref={textareaRef}
        className="composer__input"
        rows={1}
        value={value}
        placeholder={placeholder ?? 'Write a message…'}
        aria-describedby={remaining <= WARN_REMAINING ? counterId : undefined}
        aria-invalid={tooLong || undefined}
        disabled={disabled}
        onChange={(event) => {
          setValue(event.target.value);
          onDraftChange?.(event.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      <button type="submit" className="button button--primary composer__send" disabled={!canSend}>
        Send
      </button>
      {remaining <= WARN_REMAINING && (
        <p
          id={counterId}
          className={`composer__counter${tooLong ? ' composer__counter--over' : ''}`}
        >
          {tooLong
            ? `${-remaining} characters over the ${MESSAGE_MAX_LENGTH} limit`
            : `${remaining} characters left`}
        </p>
      )}
    </form>
  );
}
