import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageDto, RoomViewDto, SearchHitDto } from '@parley/contracts';
import { useDebouncedValue } from '@/features/rooms/hooks/use-debounced-value';
import { describeError } from '@/lib/api-error';
import { useSearchMessages } from '../api/search-messages';
import { HighlightedText } from './highlighted-text';

/** One request per pause in typing. */
export const SEARCH_DEBOUNCE_MS = 300;
/** Enough text around the match to recognise the message. */
const EXCERPT_LENGTH = 240;

export type SearchScopeChoice = 'room' | 'all';

function roomName(room: RoomViewDto | undefined): string {
  if (!room) return 'A room';
  return room.peer?.user.displayName ?? room.name;
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
}

function SearchHit({
  hit,
  room,
  onOpen,
}: {
  hit: SearchHitDto;
  room: RoomViewDto | undefined;
  onOpen: (message: MessageDto) => void;
}) {
  const { message } = hit;
  return (
    <li className="search-hit">
      <button type="button" className="search-hit__button" onClick={() => onOpen(message)}>
        <span className="search-hit__meta">
          <span className="search-hit__room">{roomName(room)}</span>
          <span className="search-hit__sender">{message.sender.displayName}</span>
          <time className="search-hit__time" dateTime={message.createdAt}>
            {formatWhen(message.createdAt)}
          </time>
        </span>
        <span className="search-hit__content">
          {message.content ? (
            <HighlightedText
              content={message.content}
              highlights={hit.highlights}
              maxLength={EXCERPT_LENGTH}
            />
          ) : (
            <span className="search-hit__files">
              {message.attachments.map((file) => file.name).join(', ')}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}

export interface SearchPanelProps {
  /** The room on screen: "This room" searches it. */
  currentRoomId?: string;
  /** My rooms, for names in the results. */
  rooms?: readonly RoomViewDto[];
  onOpenResult: (message: MessageDto) => void;
  onClose: () => void;
}

/**
 * Message search: this room or all of mine, asked once typing pauses, newest hits first with
 * the matches marked, "More results" for older ones. Escape closes it.
 */
export function SearchPanel({ currentRoomId, rooms, onOpenResult, onClose }: SearchPanelProps) {
  const inputId = useId();
  const headingId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<SearchScopeChoice>(currentRoomId ? 'room' : 'all');
  const scope = currentRoomId && choice === 'room' ? 'room' : 'all';
  const q = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const search = useSearchMessages({ q, room: scope === 'room' ? currentRoomId : undefined });
  const roomsById = new Map((rooms ?? []).map((room) => [room.id, room]));
  const hits = search.data?.pages.flatMap((page) => page.items) ?? [];

  useEffect(() => inputRef.current?.focus(), []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    // Only the panel closes, not the menu or dialog around it.
    event.stopPropagation();
    onClose();
  };

  let body;
  if (q.length === 0) {
    body = <p className="search-panel__status">Type a word, or part of one, to search.</p>;
  } else if (search.isPending) {
    body = (
      <p className="search-panel__status" role="status">
        Searching…
      </p>
    );
  } else if (search.isError && !search.isFetchNextPageError) {
    body = (
      <div className="search-panel__status" role="alert">
        <p>Search failed. {describeError(search.error)}</p>
        <button
          type="button"
          className="button button--small"
          onClick={() => void search.refetch()}
        >
          Try again
        </button>
      </div>
    );
  } else if (hits.length === 0) {
    body = (
      <p className="search-panel__status" role="status">
        No messages found for “{q}”.
      </p>
    );
  } else {
    body = (
      <>
        <p className="visually-hidden" role="status">
          {search.hasNextPage ? `More than ${hits.length}` : hits.length}{' '}
          {hits.length === 1 ? 'message' : 'messages'} found
        </p>
        <ul className="search-panel__results" aria-label="Search results">
          {hits.map((hit) => (
            <SearchHit
              key={hit.message.id}
              hit={hit}
              room={roomsById.get(hit.message.room)}
              onOpen={onOpenResult}
            />
          ))}
        </ul>
        {search.isFetchNextPageError && (
          <p className="form-error" role="alert">
            Could not load more results. {describeError(search.error)}
          </p>
        )}
        {search.hasNextPage && (
          <button
            type="button"
            className="button button--ghost button--small search-panel__more"
            onClick={() => void search.fetchNextPage()}
            disabled={search.isFetchingNextPage}
          >
            {search.isFetchingNextPage ? 'Loading more…' : 'More results'}
          </button>
        )}
      </>
    );
  }

  return (
    <div
      className="search-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
    >
      <div className="search-panel__header">
        <h2 id={headingId} className="search-panel__title">
          Search messages
        </h2>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </div>
      <form
        role="search"
        className="search-panel__form"
        onSubmit={(event) => event.preventDefault()}
      >
        <label htmlFor={inputId} className="visually-hidden">
          Search messages
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="search"
          className="input search-panel__input"
          placeholder="Search messages"
          autoComplete="off"
          maxLength={200}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <fieldset className="search-panel__scope">
          <legend className="visually-hidden">Where to search</legend>
          <label>
            <input
              type="radio"
              name={`${inputId}-scope`}
              value="room"
              checked={scope === 'room'}
              disabled={!currentRoomId}
              onChange={() => setChoice('room')}
            />{' '}
            This room
          </label>
          <label>
            <input
              type="radio"
              name={`${inputId}-scope`}
              value="all"
              checked={scope === 'all'}
              onChange={() => setChoice('all')}
            />{' '}
            All my rooms
          </label>
        </fieldset>
      </form>
      <div className="search-panel__body">{body}</div>
    </div>
  );
}
