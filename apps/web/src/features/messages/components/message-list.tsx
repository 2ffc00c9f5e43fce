import { useLayoutEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';
import type { TimelineEntry } from '../lib/timeline';
import { MessageItem, NoticeItem } from './message-item';

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;
/** Start loading older history this close to the top, before the reader hits it. */
const LOAD_OLDER_THRESHOLD_PX = 200;

export interface MessageListProps {
  entries: TimelineEntry[];
  onRetry: (clientMessageId: string) => void;
  onDiscard?: (clientMessageId: string) => void;
  /** Offered on other people's names. */
  onMessageUser?: (username: string) => void;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  onLoadOlder: () => void;
  /** Replaces the entries while history is loading or failed. */
  placeholder?: ReactNode;
  /** Shown above the entries instead of the history edge (loading or failed, with entries). */
  historyStatus?: ReactNode;
}

interface ScrollSnapshot {
  firstKey: string | undefined;
  lastKey: string | undefined;
  scrollHeight: number;
  scrollTop: number;
  atBottom: boolean;
}

function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
}

export function MessageList({
  entries,
  onRetry,
  onDiscard,
  onMessageUser,
  hasOlder,
  isLoadingOlder,
  onLoadOlder,
  placeholder,
  historyStatus,
}: MessageListProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const snapshot = useRef<ScrollSnapshot>({
    firstKey: undefined,
    lastKey: undefined,
    scrollHeight: 0,
    scrollTop: 0,
    atBottom: true,
  });
  const [atBottom, setAtBottom] = useState(true);
  const [seenLastKey, setSeenLastKey] = useState<string | undefined>(undefined);

  const items = entries.filter((entry) => entry.type !== 'day');
  const firstKey = items.at(0)?.key;
  const last = items.at(-1);
  const lastKey = last?.key;
  const lastIsOwn = last?.type === 'message' && last.message.own;

  // Runs before paint, so prepending history or appending a message never shows a jump.
  useLayoutEffect(() => {
    const element = scrollerRef.current;
    if (!element) return;
    const previous = snapshot.current;
    if (previous.lastKey === undefined) {
      element.scrollTop = element.scrollHeight;
    } else if (firstKey !== previous.firstKey && lastKey === previous.lastKey) {
      // Older history went in above: keep the same distance from the bottom.
      element.scrollTop = element.scrollHeight - (previous.scrollHeight - previous.scrollTop);
    } else if (lastKey !== previous.lastKey && (previous.atBottom || lastIsOwn)) {
      element.scrollTop = element.scrollHeight;
    }
    snapshot.current = {
      firstKey,
      lastKey,
      scrollHeight: element.scrollHeight,
      scrollTop: element.scrollTop,
      atBottom: previous.lastKey === undefined || lastIsOwn ? true : previous.atBottom,
    };
  }, [firstKey, lastKey, lastIsOwn]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const bottom = isAtBottom(element);
    snapshot.current = {
      ...snapshot.current,
      scrollHeight: element.scrollHeight,
      scrollTop: element.scrollTop,
      atBottom: bottom,
    };
    setAtBottom(bottom);
    if (bottom) setSeenLastKey(lastKey);
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX && hasOlder && !isLoadingOlder) onLoadOlder();
  };

  const scrollToNewest = () => {
    const element = scrollerRef.current;
    if (!element) return;
    // Instant: a smooth scroll across a long backlog outlasts the messages arriving meanwhile.
    element.scrollTop = element.scrollHeight;
  };

  const showNewPill = !atBottom && lastKey !== undefined && lastKey !== seenLastKey;

  return (
    <div className="message-list">
      <div
        ref={scrollerRef}
        className="message-list__scroller"
        role="log"
        aria-label="Messages"
        // Focusable so keyboard users can scroll the history.
        tabIndex={0}
        onScroll={onScroll}
      >
        {placeholder ?? (
          <>
            {/* Same height in every state, so its text changing never shifts the history. */}
            <div className="message-list__history-edge">
              {historyStatus ??
                (hasOlder ? (
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    onClick={onLoadOlder}
                    disabled={isLoadingOlder}
                  >
                    {isLoadingOlder ? 'Loading older messages…' : 'Load older messages'}
                  </button>
                ) : (
                  items.length > 0 && <span>This is the start of the room.</span>
                ))}
            </div>
            {items.length === 0 && (
              <p className="message-list__empty">No messages yet. Say hello!</p>
            )}
            {entries.map((entry) => {
              switch (entry.type) {
                case 'day':
                  return (
                    <div key={entry.key} className="day-separator">
                      <span>{entry.label}</span>
                    </div>
                  );
                case 'notice':
                  return <NoticeItem key={entry.key} notice={entry.notice} />;
                case 'message':
                  return (
                    <MessageItem
                      key={entry.key}
                      message={entry.message}
                      onRetry={onRetry}
                      onDiscard={onDiscard}
                      onMessageUser={onMessageUser}
                    />
                  );
              }
            })}
          </>
        )}
      </div>
      {showNewPill && (
        <button type="button" className="message-list__new-pill" onClick={scrollToNewest}>
          New messages ↓
        </button>
      )}
    </div>
  );
}
