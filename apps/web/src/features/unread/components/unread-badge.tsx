import { VisuallyHidden } from '@/components/ui/visually-hidden';
import { badgeText } from '../lib/unread-count';

/** The number of unread messages, read out as "3 unread". Renders nothing at 0. */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge">
      {badgeText(count)}
      <VisuallyHidden> unread</VisuallyHidden>
    </span>
  );
}
