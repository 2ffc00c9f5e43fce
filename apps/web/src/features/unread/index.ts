export { UnreadBadge } from './components/unread-badge';
export { usePageTitle, useUnreadTitle } from './hooks/use-document-title';
export { useNewMessagesAnchor } from './hooks/use-new-messages-anchor';
export { useReadMarker } from './hooks/use-read-marker';
export { useWindowAttention } from './hooks/use-window-attention';
export { firstUnreadSeq, unreadBelow, type DividerCandidate } from './lib/new-messages-divider';
export { seenBy, seenLabel, type Reader, type SeenMarker } from './lib/seen-by';
export { titleUnreadCount, unreadCount, type UnreadCounted } from './lib/unread-count';
