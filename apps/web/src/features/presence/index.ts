export { PresenceDot, type PresenceDotProps } from './components/presence-dot';
export { PresenceSync } from './components/presence-sync';
export { PresenceStoreProvider, usePresenceStore } from './hooks/presence-context';
export { usePresence, useOnlineCount, type PresenceHolder } from './hooks/use-presence';
export { describeLastSeen, peerStatusText, presenceLabel } from './lib/describe-presence';
export { PresenceStore } from './lib/presence-store';
