import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { FieldError } from '@/components/ui/field-error';
import { describeError, isApiRequestError } from '@/lib/api-error';
import { roomQueryOptions } from '../api/get-room';
import { parseRoomInput } from '../lib/parse-room-input';

export function JoinRoomForm({ onJoined }: { onJoined?: () => void }) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const inputId = useId();
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const roomId = parseRoomInput(input);
    if (!roomId) {
      setError('Enter a room id (10 letters and digits) or a room link.');
      return;
    }
    setError(null);
    setChecking(true);
    try {
      // Checked here so a typo is reported in the form, not as a broken room page.
      await queryClient.fetchQuery(roomQueryOptions(roomId));
      setInput('');
      onJoined?.();
      await navigate(`/rooms/${roomId}`);
    } catch (caught) {
      const code = isApiRequestError(caught) ? caught.code : undefined;
      setError(
        code === 'room_not_found'
          ? 'No room has that id.'
          : code === 'not_a_member'
            ? 'That room is private: ask a moderator for an invite link.'
            : code === 'banned'
              ? 'You are banned from that room.'
              : describeError(caught),
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <form className="sidebar-form" onSubmit={onSubmit} noValidate aria-label="Join a room">
      <label htmlFor={inputId} className="sidebar-form__label">
        Room id or link
      </label>
      <div className="sidebar-form__row">
        <input
          id={inputId}
          className="input"
          value={input}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null || undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setInput(event.target.value)}
        />
        <button type="submit" className="button" disabled={checking}>
          Join
        </button>
      </div>
      <FieldError id={errorId} messages={error ? [error] : []} />
    </form>
  );
}
