import { useId, useState, type FormEvent } from 'react';
import {
  ROOM_NAME_MAX_LENGTH,
  ROOM_TOPIC_MAX_LENGTH,
  type RoomMemberDto,
  type RoomRole,
  type RoomViewDto,
} from '@parley/contracts';
import { CopyButton } from '@/components/ui/copy-button';
import { PresenceDot } from '@/features/presence';
import { describeError } from '@/lib/api-error';
import { inviteLink, useCreateInvite, useInvites, useRevokeInvite } from '../api/invites';
import { useMemberAction, useMembers } from '../api/members';
import { useUpdateRoom } from '../api/update-room';
import { RoomBans } from './room-bans';

const RANK: Record<RoomRole, number> = { member: 1, moderator: 2, owner: 3 };

/** Expiry choices for a new invite; `never` sends no `expiresInSeconds`. */
const INVITE_EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never', seconds: undefined },
  { value: '1h', label: '1 hour', seconds: 3600 },
  { value: '1d', label: '1 day', seconds: 24 * 3600 },
  { value: '7d', label: '7 days', seconds: 7 * 24 * 3600 },
] as const;
type InviteExpiry = (typeof INVITE_EXPIRY_OPTIONS)[number]['value'];

function isInviteExpiry(value: string): value is InviteExpiry {
  return INVITE_EXPIRY_OPTIONS.some((option) => option.value === value);
}

function DetailsForm({ room }: { room: RoomViewDto }) {
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(room.topic ?? '');
  const update = useUpdateRoom(room.id);
  const nameId = useId();
  const topicId = useId();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ name: name.trim(), topic: topic.trim() });
  };
  return (
    <form className="settings-form" onSubmit={onSubmit} aria-label="Room details">
      <label htmlFor={nameId}>Room name</label>
      <input
        id={nameId}
        className="input"
        value={name}
        maxLength={ROOM_NAME_MAX_LENGTH}
        onChange={(event) => setName(event.target.value)}
      />
      <label htmlFor={topicId}>Topic</label>
      <input
        id={topicId}
        className="input"
        value={topic}
        maxLength={ROOM_TOPIC_MAX_LENGTH}
        onChange={(event) => setTopic(event.target.value)}
      />
      <button type="submit" className="button button--small" disabled={update.isPending}>
        Save
      </button>
      {update.isError && <p role="alert">{describeError(update.error)}</p>}
    </form>
  );
}

function Invites({ roomId }: { roomId: string }) {
  const invites = useInvites(roomId, true);
  const create = useCreateInvite(roomId);
  const revoke = useRevokeInvite(roomId);
  const [expiry, setExpiry] = useState<InviteExpiry>('never');
  const expiryId = useId();
  const onCreate = () => {
    const seconds = INVITE_EXPIRY_OPTIONS.find((option) => option.value === expiry)?.seconds;
    create.mutate(seconds === undefined ? {} : { expiresInSeconds: seconds });
  };
  return (
    <section aria-label="Invites" className="settings-section">
      <h3>Invites</h3>
      <label htmlFor={expiryId}>Invite expires</label>{' '}
      <select
        id={expiryId}
        className="input"
        value={expiry}
        onChange={(event) => {
          if (isInviteExpiry(event.target.value)) setExpiry(event.target.value);
        }}
      >
        {INVITE_EXPIRY_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>{' '}
      <button
        type="button"
        className="button button--small"
        disabled={create.isPending}
        onClick={onCreate}
      >
        Create invite link
      </button>
      {create.isError && <p role="alert">{describeError(create.error)}</p>}
      <ul className="settings-list">
        {(invites.data ?? []).map((invite) => (
          <li key={invite.code}>
            <code aria-label="Invite link">{inviteLink(invite.code)}</code>{' '}
            {invite.expiresAt && <span>expires {new Date(invite.expiresAt).toLocaleString()}</span>}
            <CopyButton text={inviteLink(invite.code)} label="Copy invite link" />
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => revoke.mutate(invite.code)}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MemberRow({
  member,
  room,
  myRole,
  userId,
}: {
  member: RoomMemberDto;
  room: RoomViewDto;
  myRole: RoomRole;
  userId: string;
}) {
  const action = useMemberAction(room.id);
  const isMe = member.user.id === userId;
  const canRemove = !isMe && RANK[myRole] >= RANK.moderator && RANK[myRole] > RANK[member.role];
  const canChangeRole = !isMe && myRole === 'owner';
  const target = member.user.id;
  return (
    <li aria-label={member.user.displayName}>
      <span>
        <PresenceDot
          userId={member.user.id}
          name={member.user.displayName}
          presence={member.presence}
        />{' '}
        {member.user.displayName} <span className="muted">@{member.user.username}</span> ·{' '}
        {member.role}
      </span>{' '}
      {canChangeRole && member.role !== 'moderator' && member.role !== 'owner' && (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => action.mutate({ kind: 'role', userId: target, role: 'moderator' })}
        >
          Make moderator
        </button>
      )}
      {canChangeRole && member.role === 'moderator' && (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => action.mutate({ kind: 'role', userId: target, role: 'member' })}
        >
          Demote
        </button>
      )}
      {canChangeRole && member.role !== 'owner' && (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => action.mutate({ kind: 'role', userId: target, role: 'owner' })}
        >
          Make owner
        </button>
      )}
      {canRemove && (
        <>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => action.mutate({ kind: 'kick', userId: target })}
          >
            Kick
          </button>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => action.mutate({ kind: 'ban', userId: target })}
          >
            Ban
          </button>
        </>
      )}
      {action.isError && <span role="alert"> {describeError(action.error)}</span>}
    </li>
  );
}

/** Members and roles for everyone in the room; details, invites and moderation for moderators. */
export function RoomSettings({ room, userId }: { room: RoomViewDto; userId: string }) {
  const myRole = room.role;
  const members = useMembers(room.id, myRole !== null);
  if (myRole === null) return null;
  const moderator = RANK[myRole] >= RANK.moderator && room.kind !== 'direct';
  return (
    <section aria-label="Room settings" className="room-settings">
      {moderator && <DetailsForm room={room} />}
      {moderator && room.kind === 'private' && <Invites roomId={room.id} />}
      {moderator && <RoomBans roomId={room.id} />}
      <section aria-label="Members" className="settings-section">
        <h3>Members</h3>
        {members.isError && <p role="alert">{describeError(members.error)}</p>}
        <ul className="settings-list">
          {(members.data ?? []).map((member) => (
            <MemberRow
              key={member.user.id}
              member={member}
              room={room}
              myRole={room.kind === 'direct' ? 'member' : myRole}
              userId={userId}
            />
          ))}
        </ul>
      </section>
    </section>
  );
}
