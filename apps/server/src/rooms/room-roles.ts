import type { RoomKind, RoomRole } from '@parley/contracts';
import { AppException } from '../common/errors/app-exception';

const RANK: Record<RoomRole, number> = { member: 1, moderator: 2, owner: 3 };

export function isModerator(role: RoomRole | undefined): boolean {
  return role !== undefined && RANK[role] >= RANK.moderator;
}

/** Kick and ban reach strictly lower roles only: moderators remove members, owners moderators too. */
export function outranks(actor: RoomRole, target: RoomRole): boolean {
  return RANK[actor] > RANK[target];
}

/** Direct rooms have two equal members and no moderation. */
export function assertModeratedKind(kind: RoomKind): void {
  if (kind === 'direct') {
    throw new AppException('forbidden', 'Direct conversations have no moderation');
  }
}
