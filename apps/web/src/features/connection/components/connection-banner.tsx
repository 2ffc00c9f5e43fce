import type { ConnectionStatus } from '@/lib/chat-connection';

const TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline. Parley reconnects when your network is back.',
  connected: '',
};

/**
 * Always rendered, even when connected and empty: a live region must already be in the page
 * for screen readers to announce the change when trouble starts.
 */
export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className={`connection-banner connection-banner--${status}`}
      data-state={status}
    >
      {TEXT[status]}
    </div>
  );
}
