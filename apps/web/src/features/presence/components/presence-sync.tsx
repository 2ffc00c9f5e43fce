import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReportedPresenceStatus, UserPresenceDto } from '@parley/contracts';
import { useChatConnection } from '@/lib/connection-context';
import { emitWithAck } from '@/lib/socket';
import { AwayDetector, type AwayDetectorOptions } from '../lib/away-detector';
import { presenceSeeds } from '../lib/presence-seeds';
import { usePresenceStore } from '../hooks/presence-context';

export interface PresenceSyncProps {
  /** Inactivity before `away`; `AWAY_AFTER_IDLE_MS` unless a test says otherwise. */
  idleMs?: number;
  /** Where input is listened for; the window unless a test says otherwise. */
  activityTarget?: AwayDetectorOptions['target'];
}

/**
 * Mounted once per session (by the shell): keeps the presence store current — seeded from every
 * members list and room view the app fetches, updated by `presence` events — and reports this
 * tab's own activity with `set_presence`.
 */
export function PresenceSync({ idleMs, activityTarget }: PresenceSyncProps) {
  const { socket } = useChatConnection();
  const queryClient = useQueryClient();
  const store = usePresenceStore();

  useEffect(() => {
    const cache = queryClient.getQueryCache();
    const seedFrom = (data: unknown) => {
      for (const seed of presenceSeeds(data)) store.seed(seed.userId, seed);
    };
    for (const query of cache.getAll()) seedFrom(query.state.data);
    return cache.subscribe((event) => {
      // Fetched responses only: an edit of cached data (a new message's preview) keeps whatever
      // presence the entry was fetched with, which may be older than what the store knows.
      if (event.type === 'updated' && event.action.type === 'success' && !event.action.manual) {
        seedFrom(event.action.data);
      }
    });
  }, [queryClient, store]);

  useEffect(() => {
    const onPresence = (event: UserPresenceDto) => store.receive(event);
    let everConnected = socket.connected;
    const onDisconnect = () => store.connectionLost();
    const onConnect = () => {
      const reconnected = everConnected;
      everConnected = true;
      if (!reconnected) return;
      // Changes while disconnected were not pushed: what is on screen is fetched again. Without
      // cancelling a refetch already under way (the shell refetches after a reconnection too).
      void queryClient.invalidateQueries(
        { predicate: (query) => presenceSeeds(query.state.data).length > 0 },
        { cancelRefetch: false },
      );
    };
    socket.on('presence', onPresence);
    socket.on('disconnect', onDisconnect);
    socket.on('connect', onConnect);
    return () => {
      socket.off('presence', onPresence);
      socket.off('disconnect', onDisconnect);
      socket.off('connect', onConnect);
      store.clear();
    };
  }, [socket, store, queryClient]);

  useEffect(() => {
    const report = (status: ReportedPresenceStatus) => {
      // Offline, nothing is sent: the next connection reports the state it starts in.
      if (!socket.connected) return;
      // Best effort: a lost report is corrected by the next change or reconnection.
      emitWithAck(socket, 'set_presence', { status }).catch(() => undefined);
    };
    const detector = new AwayDetector({ onChange: report, idleMs, target: activityTarget });
    // A new connection starts out online on the server; only `away` needs saying again.
    const onConnect = () => {
      if (detector.status === 'away') report('away');
    };
    socket.on('connect', onConnect);
    detector.start();
    return () => {
      socket.off('connect', onConnect);
      detector.stop();
    };
  }, [socket, idleMs, activityTarget]);

  return null;
}
