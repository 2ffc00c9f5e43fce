import type { PresenceDto } from '@parley/contracts';
import { presenceLabel } from '../lib/describe-presence';
import { usePresence } from '../hooks/use-presence';

export interface PresenceDotProps {
  userId: string;
  /** Whose dot it is, for the accessible name: "Ann is online". */
  name: string;
  /** The presence the caller got from REST, shown until a live one is known. */
  presence?: PresenceDto;
}

/**
 * A coloured dot (online, away, offline) that also tells assistive technology what it means.
 * Nothing is drawn while the presence is unknown.
 */
export function PresenceDot({ userId, name, presence }: PresenceDotProps) {
  const current = usePresence(userId, presence);
  if (!current) return null;
  const label = presenceLabel(name, current.status);
  return (
    <span
      className={`presence-dot presence-dot--${current.status}`}
      role="img"
      aria-label={label}
      title={label}
      data-status={current.status}
    />
  );
}
