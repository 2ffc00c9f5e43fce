import { describeError } from '@/lib/api-error';
import { useBans, useUnban } from '../api/bans';

/** Who is banned from the room, each with an Unban button. Owners and moderators only. */
export function RoomBans({ roomId }: { roomId: string }) {
  const bans = useBans(roomId, true);
  const unban = useUnban(roomId);
  const list = bans.data ?? [];
  return (
    <section aria-label="Bans" className="settings-section">
      <h3>Bans</h3>
      {bans.isError && <p role="alert">{describeError(bans.error)}</p>}
      {bans.isSuccess && list.length === 0 && <p className="muted">Nobody is banned.</p>}
      {unban.isError && <p role="alert">{describeError(unban.error)}</p>}
      <ul className="settings-list">
        {list.map((ban) => (
          <li key={ban.user.id} aria-label={ban.user.displayName}>
            <span>
              {ban.user.displayName} <span className="muted">@{ban.user.username}</span> · banned{' '}
              {new Date(ban.createdAt).toLocaleString()}
            </span>{' '}
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={unban.isPending && unban.variables === ban.user.id}
              onClick={() => unban.mutate(ban.user.id)}
            >
              Unban
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
