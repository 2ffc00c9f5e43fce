import { lazy, Suspense, useEffect, useRef } from 'react';

/** Loaded on first use: the picker and its data stay out of the main bundle. */
const EmojiPickerPanel = lazy(() => import('./emoji-picker-panel'));

/** Reactions offered at once, without opening the full picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

/**
 * The full emoji picker in a popover: Escape or a click outside closes it, and the focus goes
 * back where it came from.
 */
export function EmojiPickerPopover({
  label,
  onPick,
  onClose,
}: {
  label: string;
  onPick: (emoji: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // The latest callback, without re-running the effect (which would refocus the opener).
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onPointerDown = (event: PointerEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) close.current();
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      opener?.focus({ preventScroll: true });
    };
  }, []);
  return (
    <div
      ref={ref}
      className="emoji-popover"
      role="dialog"
      aria-label={label}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onClose();
      }}
    >
      <Suspense fallback={<p className="emoji-picker__status">Loading…</p>}>
        <EmojiPickerPanel
          onPick={(emoji) => {
            onPick(emoji);
            onClose();
          }}
        />
      </Suspense>
    </div>
  );
}
