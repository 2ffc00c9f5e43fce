import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { FieldError } from '@/components/ui/field-error';
import { describeError } from '@/lib/api-error';
import { useOpenDirectRoom } from '../api/open-direct-room';
import { useUserSearch } from '../api/search-users';
import { useDebouncedValue } from '../hooks/use-debounced-value';

/** Long enough to skip the keystrokes of a name typed in one go. */
export const USER_SEARCH_DEBOUNCE_MS = 250;

/** "New direct message": find a person by name, pick them, and the conversation opens. */
export function NewDirectMessage({
  userId,
  onNavigate,
}: {
  userId: string;
  onNavigate?: () => void;
}) {
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), USER_SEARCH_DEBOUNCE_MS);
  const search = useUserSearch(query);
  const openDirect = useOpenDirectRoom();
  const navigate = useNavigate();
  const inputId = useId();
  const resultsId = useId();
  const errorId = useId();

  const people = (search.data ?? []).filter((person) => person.id !== userId);
  const searching = text.trim().length > 0;
  const error = openDirect.error ?? search.error;

  const pick = (username: string) =>
    openDirect.mutate(username, {
      onSuccess: (room) => {
        setText('');
        onNavigate?.();
        void navigate(`/rooms/${room.id}`);
      },
    });

  return (
    <div className="new-direct">
      <label htmlFor={inputId} className="sidebar-form__label">
        New direct message
      </label>
      <input
        id={inputId}
        className="input"
        type="search"
        value={text}
        placeholder="Find a person by name"
        autoComplete="off"
        aria-controls={searching ? resultsId : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          openDirect.reset();
          setText(event.target.value);
        }}
      />
      {searching && (
        <ul id={resultsId} className="new-direct__results" aria-label="People found">
          {people.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="new-direct__person"
                disabled={openDirect.isPending}
                onClick={() => pick(person.username)}
              >
                <span className="new-direct__name">{person.displayName}</span>{' '}
                <span className="new-direct__handle">@{person.username}</span>
              </button>
            </li>
          ))}
          {query === text.trim() &&
            search.isSuccess &&
            !search.isPlaceholderData &&
            people.length === 0 && <li className="new-direct__none">No one found.</li>}
        </ul>
      )}
      <FieldError id={errorId} messages={error ? [describeError(error)] : []} />
    </div>
  );
}
