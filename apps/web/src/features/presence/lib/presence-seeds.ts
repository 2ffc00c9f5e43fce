import { PRESENCE_STATUSES, type PresenceDto, type UserPresenceDto } from '@parley/contracts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPresence(value: unknown): value is PresenceDto {
  return (
    isRecord(value) &&
    (PRESENCE_STATUSES as readonly unknown[]).includes(value.status) &&
    (value.lastSeenAt === null || typeof value.lastSeenAt === 'string')
  );
}

/** `{user: {id}, presence}`: a `RoomMemberDto` or a `DirectPeerDto`. */
function personPresence(value: unknown): UserPresenceDto | undefined {
  if (!isRecord(value) || !isRecord(value.user) || typeof value.user.id !== 'string') return;
  if (!isPresence(value.presence)) return;
  const { status, lastSeenAt } = value.presence;
  return { userId: value.user.id, status, lastSeenAt };
}

function itemPresence(item: unknown): UserPresenceDto | undefined {
  // A room view carries its direct peer; a members list carries each member.
  return isRecord(item) && 'peer' in item ? personPresence(item.peer) : personPresence(item);
}

/**
 * The presence in a cached REST response: members lists (`RoomMemberDto[]`) and room views
 * (`RoomViewDto`, alone or listed, through `peer`). Anything else yields nothing. Read by shape
 * rather than by query key, so this feature needs no knowledge of how other features cache.
 */
export function presenceSeeds(data: unknown): UserPresenceDto[] {
  const items = Array.isArray(data) ? (data as unknown[]) : [data];
  const seeds: UserPresenceDto[] = [];
  for (const item of items) {
    const seed = itemPresence(item);
    if (seed) seeds.push(seed);
  }
  return seeds;
}
