import { TYPING_REFRESH_MS } from '@parley/contracts';
import { emitWithAck, type ParleySocket } from '@/lib/socket';

/**
 * Tells a room's other members that this user is typing in it: `typing true` on the first
 * keystroke and then at most once per `TYPING_REFRESH_MS` while the draft is not empty (the server
 * ends an indicator that is not refreshed), `typing false` when the draft is emptied, the box loses
 * focus or the room is left. An indicator is ephemeral: nothing is queued while disconnected, and
 * a failed emit is not retried or reported.
 */
export class TypingSender {
  /** When the last `typing true` went out; `undefined` while the server shows no indicator. */
  private lastStartedAt: number | undefined;

  constructor(
    private readonly socket: Pick<ParleySocket, 'connected' | 'timeout'>,
    private readonly room: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The user edited the draft. A whitespace-only draft cannot be sent, so it counts as empty. */
  draftChanged(draft: string): void {
    if (draft.trim() === '') {
      this.stop();
      return;
    }
    const now = this.now();
    if (this.lastStartedAt !== undefined && now - this.lastStartedAt < TYPING_REFRESH_MS) return;
    if (this.emit(true)) this.lastStartedAt = now;
  }

  /** The box lost focus or the room is being left: end the indicator if this tab started one. */
  stop(): void {
    if (this.lastStartedAt === undefined) return;
    this.lastStartedAt = undefined;
    this.emit(false);
  }

  /**
   * The server ended the indicator by itself (a message was sent, the socket disconnected): the
   * next keystroke starts a new one at once.
   */
  reset(): void {
    this.lastStartedAt = undefined;
  }

  private emit(isTyping: boolean): boolean {
    if (!this.socket.connected) return false;
    emitWithAck(this.socket, 'typing', { room: this.room, isTyping }).catch(() => undefined);
    return true;
  }
}
