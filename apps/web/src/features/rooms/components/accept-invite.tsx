import { useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { describeError, isApiRequestError } from '@/lib/api-error';
import { useAcceptInvite } from '../api/invites';

/** `/invite/{code}`: accepts once, then opens the room. */
export function AcceptInvite({ code }: { code: string }) {
  const accept = useAcceptInvite();
  const navigate = useNavigate();
  const started = useRef(false);
  const { mutate } = accept;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutate(code, { onSuccess: (room) => void navigate(`/rooms/${room.id}`, { replace: true }) });
  }, [code, mutate, navigate]);
  if (accept.isError) {
    const invalid = isApiRequestError(accept.error) && accept.error.code === 'invite_invalid';
    return (
      <div className="empty-state" role="alert">
        <h2>Invite not accepted</h2>
        <p>
          {invalid
            ? 'This invite is unknown, revoked or expired. Ask for a new one.'
            : describeError(accept.error)}
        </p>
        <p>
          <Link to="/">Back to Parley</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <h2>Joining…</h2>
    </div>
  );
}
