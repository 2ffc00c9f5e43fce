import { runAlone, type ExclusiveRunner } from '@parley/chat-client';

/**
 * An `ExclusiveRunner` on the Web Locks API: a lock is shared by every tab of the origin, and
 * `ifAvailable` answers at once instead of queueing, so a tab whose room another tab is draining
 * skips it (the outbox looks again later). Without Web Locks (old browsers, jsdom) the tab runs
 * alone, which the server's idempotent `send_message` keeps correct, if not frugal.
 */
export function webLocksRunner(
  locks: LockManager | undefined = typeof navigator === 'undefined' ? undefined : navigator.locks,
): ExclusiveRunner {
  if (!locks) return runAlone;
  return (key, task) =>
    locks.request(key, { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await task();
      return true;
    });
}
