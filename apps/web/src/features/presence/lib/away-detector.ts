import { AWAY_AFTER_IDLE_MS, type ReportedPresenceStatus } from '@parley/contracts';

/** What counts as the user being here: pointer, keyboard, wheel, touch, and the window focus. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'focus',
] as const;

export interface AwayDetectorOptions {
  /** Called on every change of the status (never twice in a row with the same one). */
  onChange: (status: ReportedPresenceStatus) => void;
  idleMs?: number;
  /** Where input is listened for; the window in the app. */
  target?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

/**
 * Turns input into `online` / `away`: away after `idleMs` without any, online again on the next.
 * Input only stamps the time (pointermove fires at frame rate); a single timer checks the stamp
 * when it is due and re-arms itself for the remainder, instead of being reset on every event.
 */
export class AwayDetector {
  private current: ReportedPresenceStatus = 'online';
  private lastInputAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private readonly idleMs: number;
  private readonly target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

  constructor(private readonly options: AwayDetectorOptions) {
    this.idleMs = options.idleMs ?? AWAY_AFTER_IDLE_MS;
    this.target = options.target ?? window;
  }

  get status(): ReportedPresenceStatus {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastInputAt = Date.now();
    for (const type of ACTIVITY_EVENTS) {
      this.target.addEventListener(type, this.onInput, { passive: true, capture: true });
    }
    this.arm(this.idleMs);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const type of ACTIVITY_EVENTS) {
      this.target.removeEventListener(type, this.onInput, { capture: true });
    }
  }

  private readonly onInput = (): void => {
    this.lastInputAt = Date.now();
    if (this.current === 'away') {
      this.current = 'online';
      this.options.onChange('online');
      this.arm(this.idleMs);
    }
  };

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.check, delayMs);
  }

  private readonly check = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    const idleFor = Date.now() - this.lastInputAt;
    if (idleFor < this.idleMs) {
      this.arm(this.idleMs - idleFor);
      return;
    }
    this.current = 'away';
    this.options.onChange('away');
  };
}
