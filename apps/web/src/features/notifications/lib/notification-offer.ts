import { PersistentStore } from '@/lib/persistent-store';
import type { NotificationApi, NotificationPermissionState } from './notification-api';

export interface NotificationOfferSnapshot {
  permission: NotificationPermissionState;
  /** The prompt is on screen. */
  prompting: boolean;
}

type Listener = () => void;

const DISMISSED_KEY = 'parley:notifications:prompt-dismissed';

export function dismissedPromptStore(storage?: Storage): PersistentStore<boolean> {
  return new PersistentStore(DISMISSED_KEY, (raw) => raw === true, storage);
}

/**
 * When to ask for the notification permission. Not on page load (a prompt nobody asked for is
 * what people block): the app offers it once the user shows they converse here — sends a message
 * or opens a direct conversation — and the browser's own prompt only follows a click on "Enable".
 * "Not now" is remembered across sessions; the account settings can still enable it later.
 */
export class NotificationOffer {
  private offered = false;
  private permission: NotificationPermissionState;
  private snapshot: NotificationOfferSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly api: NotificationApi,
    private readonly dismissed: PersistentStore<boolean> = dismissedPromptStore(),
  ) {
    this.permission = api.permission();
    this.snapshot = this.derive();
  }

  getSnapshot = (): NotificationOfferSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    // Dismissed in another tab: the prompt goes there too.
    const unsubscribeDismissed = this.dismissed.subscribe(this.update);
    return () => {
      this.listeners.delete(listener);
      unsubscribeDismissed();
    };
  };

  /** The user did something that makes notifications worth offering. */
  offer = (): void => {
    if (this.offered) return;
    this.offered = true;
    this.update();
  };

  dismiss = (): void => {
    this.dismissed.set(() => true);
    this.update();
  };

  /** Asks the browser; call it from the click on "Enable". */
  enable = async (): Promise<NotificationPermissionState> => {
    try {
      this.permission = await this.api.requestPermission();
    } catch {
      // Older browsers throw instead of resolving when the request is refused.
      this.permission = this.api.permission();
    }
    this.update();
    return this.permission;
  };

  /** The permission can change in the browser's site settings; read it again. */
  refresh = (): void => {
    this.permission = this.api.permission();
    this.update();
  };

  private derive(): NotificationOfferSnapshot {
    return {
      permission: this.permission,
      prompting: this.offered && this.permission === 'default' && !this.dismissed.get(),
    };
  }

  private readonly update = (): void => {
    const next = this.derive();
    if (
      next.permission === this.snapshot.permission &&
      next.prompting === this.snapshot.prompting
    ) {
      return;
    }
    this.snapshot = next;
    this.listeners.forEach((listener) => listener());
  };
}
