import {
  Fragment,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
  type UIEvent,
} from 'react';
import { unreadBelow } from '@/features/unread';
import type { TimelineEntry } from '../lib/timeline';
import { MessageItem, NoticeItem } from './message-item';

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 48;
/** Start loading older history this close to the top, before the reader hits it. */
const LOAD_OLDER_THRESHOLD_PX = 200;
/** Room left above the "New messages" divider when the room opens at it. */
const DIVIDER_MARGIN_PX = 16;
/** A message counts as seen when this share of it (or of the list's height) is on screen. */
const SEEN_SHARE = 0.5;

export interface SeenByMarker {
  /** The message it goes under. */
  seq: number;
  /** "Seen", "Seen by Ann, Ben". */
  label: string;
}

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
  /**
   * The seq of the first unread message: "New messages" goes before it, and the room opens
   * there when it would be out of sight at the bottom. `null`: nothing unread; `undefined`: not
   * known yet (the room's read cursor has not loaded).
   */
  newMessagesBefore?: number | null;
  /** "Seen" under one of my messages. */
  seenBy?: SeenByMarker;
  /** My read cursor of the room: messages after it and below the screen are "new". */
  readSeq?: number;
  /** Called with the highest seq on screen whenever it changes (for `mark_read`). */
  onVisibleSeq?: (seq: number) => void;
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

function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const shown = entry.intersectionRect.height;
  // A message taller than half the list is seen once it fills half of it.
  const listHeight = entry.rootBounds?.height ?? Number.POSITIVE_INFINITY;
  return entry.intersectionRatio >= SEEN_SHARE || shown >= listHeight * SEEN_SHARE;
}

/**
 * Scrolls so "New messages" sits near the top, when opening at the bottom would leave it above
 * the screen. Returns whether it scrolled.
 */
function scrollToDivider(scroller: HTMLElement, divider: HTMLElement | null): boolean {
  if (!divider) return false;
  const top =
    divider.getBoundingClientRect().top -
    scroller.getBoundingClientRect().top +
    scroller.scrollTop -
    DIVIDER_MARGIN_PX;
  if (top >= scroller.scrollHeight - scroller.clientHeight) return false;
  scroller.scrollTop = Math.max(0, top);
  return true;
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
  newMessagesBefore,
  seenBy,
  readSeq = 0,
  onVisibleSeq,
}: MessageListProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const dividerRef = useRef<HTMLDivElement>(null);
  const snapshot = useRef<ScrollSnapshot>({
    firstKey: undefined,
    lastKey: undefined,
    scrollHeight: 0,
    scrollTop: 0,
    atBottom: true,
  });
  /** Whether the room has been placed at its divider (or found to need no placing). */
  const placed = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  const [highestSeen, setHighestSeen] = useState(0);

  const items = entries.filter((entry) => entry.type !== 'day');
  const firstKey = items.at(0)?.key;
  const last = items.at(-1);
  const lastKey = last?.key;
  const lastIsOwn = last?.type === 'message' && last.message.own;
  const messages = items.flatMap((entry) => (entry.type === 'message' ? [entry.message] : []));
  const dividerKnown = newMessagesBefore !== undefined;

  // Runs before paint, so prepending history or appending a message never shows a jump.
  useLayoutEffect(() => {
    const element = scrollerRef.current;
    if (!element) return;
    const previous = snapshot.current;
    let atEnd = previous.atBottom;
    if (previous.lastKey === undefined) {
      element.scrollTop = element.scrollHeight;
      atEnd = true;
    } else if (firstKey !== previous.firstKey && lastKey === previous.lastKey) {
      // Older history went in above: keep the same distance from the bottom.
      element.scrollTop = element.scrollHeight - (previous.scrollHeight - previous.scrollTop);
    } else if (lastKey !== previous.lastKey && (previous.atBottom || lastIsOwn)) {
      // My own message always shows; others' only when I am following the bottom.
      element.scrollTop = element.scrollHeight;
      atEnd = true;
    }
    // Opening a room with unread messages above the screen starts at the first of them.
    if (lastKey !== undefined && dividerKnown && !placed.current) {
      placed.current = true;
      if (atEnd && scrollToDivider(element, dividerRef.current)) {
        atEnd = false;
        setAtBottom(false);
      }
    }
    snapshot.current = {
      firstKey,
      lastKey,
      scrollHeight: element.scrollHeight,
      scrollTop: element.scrollTop,
      atBottom: atEnd,
    };
  }, [firstKey, lastKey, lastIsOwn, dividerKnown]);

  // What is on screen: the highest seq seen, for `mark_read` and for the count of new messages.
  const onVisibleSeqRef = useRef(onVisibleSeq);
  useEffect(() => {
    onVisibleSeqRef.current = onVisibleSeq;
  });
  const seqKeys = messages.map((message) => message.seq ?? '').join(',');
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || typeof IntersectionObserver === 'undefined') return;
    const visible = new Map<Element, number>();
    let highest = 0;
    const observer = new IntersectionObserver(
      (changes) => {
        for (const change of changes) {
          const seq = Number((change.target as HTMLElement).dataset.seq);
          if (isSeen(change)) visible.set(change.target, seq);
          else visible.delete(change.target);
        }
        const next = Math.max(0, ...visible.values());
        if (next === highest) return;
        highest = next;
        // Scrolling back up shows lower seqs: what was seen stays seen.
        setHighestSeen((seen) => Math.max(seen, next));
        if (next > 0) onVisibleSeqRef.current?.(next);
      },
      { root: scroller, threshold: [0, SEEN_SHARE, 1] },
    );
    scroller.querySelectorAll('[data-seq]').forEach((element) => observer.observe(element));
    return () => observer.disconnect();
  }, [seqKeys]);

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
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX && hasOlder && !isLoadingOlder) onLoadOlder();
  };

  const scrollToNewest = () => {
    const element = scrollerRef.current;
    if (!element) return;
    // Instant: a smooth scroll across a long backlog outlasts the messages arriving meanwhile.
    element.scrollTop = element.scrollHeight;
  };

  const newBelow = unreadBelow(messages, Math.max(readSeq, highestSeen));
  const showJump = !atBottom && lastKey !== undefined;

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
                case 'message': {
                  const { seq } = entry.message;
                  const divider = seq !== undefined && seq === newMessagesBefore;
                  return (
                    <Fragment key={entry.key}>
                      {divider && (
                        <div
                          ref={dividerRef}
                          className="new-messages-divider"
                          role="separator"
                          aria-label="New messages"
                        >
                          <span aria-hidden="true">New messages</span>
                        </div>
                      )}
                      <div className="message-list__item" data-seq={seq}>
                        <MessageItem
                          message={entry.message}
                          onRetry={onRetry}
                          onDiscard={onDiscard}
                          onMessageUser={onMessageUser}
                        />
                        {seenBy && seq === seenBy.seq && <p className="seen-by">{seenBy.label}</p>}
                      </div>
                    </Fragment>
                  );
                }
              }
            })}
          </>
        )}
      </div>
      {showJump && (
        <button type="button" className="message-list__new-pill" onClick={scrollToNewest}>
          Jump to latest
          {newBelow > 0 && (
            <>
              {' '}
              <span className="jump-latest__count">{newBelow} new</span>
            </>
          )}
        </button>
      )}
    </div>
  );
}
