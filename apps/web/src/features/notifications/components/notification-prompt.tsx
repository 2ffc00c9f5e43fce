import { createPortal } from 'react-dom';
import { useNotificationOffer } from '../hooks/notifications-context';

/**
 * A small dismissible card in a corner, outside the layout (the sidebar it would otherwise sit in
 * slides away on phones). The browser's permission prompt only follows a click on "Enable".
 */
export function NotificationPrompt() {
  const { prompting, enable, dismiss } = useNotificationOffer();
  if (!prompting) return null;
  return createPortal(
    <section className="notification-prompt" aria-label="Desktop notifications">
      <p className="notification-prompt__text">Get notified of direct messages and mentions</p>
      <div className="notification-prompt__actions">
        <button
          type="button"
          className="button button--primary button--small"
          onClick={() => void enable()}
        >
          Enable
        </button>
        <button type="button" className="button button--ghost button--small" onClick={dismiss}>
          Not now
        </button>
      </div>
    </section>,
    document.body,
  );
}
