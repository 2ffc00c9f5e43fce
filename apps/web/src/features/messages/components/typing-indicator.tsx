import { describeTypists, type Typist } from '../lib/typing-store';

/**
 * "Ann is typing…" under the message list. The live region is always rendered (empty when nobody
 * types): screen readers announce changes to a region that exists, not one that appears.
 */
export function TypingIndicator({ typists }: { typists: readonly Typist[] }) {
  return (
    <div className="typing-indicator" aria-live="polite">
      {describeTypists(typists)}
    </div>
  );
}
