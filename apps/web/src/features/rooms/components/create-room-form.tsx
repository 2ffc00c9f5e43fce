import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { CreateRoomDto, type CreatableRoomKind, validatePayload } from '@parley/contracts';
import { FieldError } from '@/components/ui/field-error';
import { describeError, isApiRequestError } from '@/lib/api-error';
import { useCreateRoom } from '../api/create-room';
import { rememberRoom } from '../hooks/use-my-rooms';

export function CreateRoomForm({ userId, onCreated }: { userId: string; onCreated?: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CreatableRoomKind>('public');
  const [errors, setErrors] = useState<string[]>([]);
  const createRoom = useCreateRoom();
  const navigate = useNavigate();
  const inputId = useId();
  const kindId = useId();
  const errorId = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validatePayload(CreateRoomDto, { name, kind });
    if (!result.ok) {
      setErrors(result.issues.flatMap((issue) => issue.messages));
      return;
    }
    setErrors([]);
    createRoom.mutate(result.value, {
      onSuccess: (room) => {
        setName('');
        rememberRoom(userId, room);
        onCreated?.();
        void navigate(`/rooms/${room.id}`);
      },
      onError: (error) => {
        setErrors(
          isApiRequestError(error) && error.code === 'validation_failed'
            ? error.fieldMessages('name')
            : [describeError(error)],
        );
      },
    });
  };

  return (
    <form className="sidebar-form" onSubmit={onSubmit} noValidate aria-label="Create a room">
      <label htmlFor={inputId} className="sidebar-form__label">
        New room name
      </label>
      <div className="sidebar-form__row">
        <input
          id={inputId}
          className="input"
          value={name}
          autoComplete="off"
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={errors.length > 0 ? errorId : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        <select
          id={kindId}
          className="input input--select"
          aria-label="Room kind"
          value={kind}
          onChange={(event) => setKind(event.target.value === 'private' ? 'private' : 'public')}
        >
          <option value="public">Public</option>
          <option value="private">Private</option>
        </select>
        <button type="submit" className="button button--primary" disabled={createRoom.isPending}>
          Create room
        </button>
      </div>
      <FieldError id={errorId} messages={errors} />
    </form>
  );
}
