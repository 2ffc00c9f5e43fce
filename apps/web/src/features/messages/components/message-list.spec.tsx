import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MessageDto } from '@parley/contracts';
import { buildTimeline, type Notice, type PendingMessage } from '../lib/timeline';
import { MessageList, type MessageListProps } from './message-list';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const own = { id: 'me', displayName: 'Me' };
const now = new Date(2026, 5, 15, 18, 0);
const ann = { id: 'ann', username: 'ann', displayName: 'Ann' };
const me = { id: 'me', username: 'me', displayName: 'Me' };

function message(
  seq: number,
  day: number,
  minute: number,
  sender = ann,
  content = `text ${seq}`,
): MessageDto {
  return {
    id: `m${seq}`,
    room: 'abcdefghij',
    seq,
    sender,
    content,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: `c${seq}`,
    createdAt: new Date(2026, 5, day, 9, minute).toISOString(),
    ...UNCHANGED_MESSAGE_FIELDS,
  };
}

function renderList({
  messages = [] as MessageDto[],
  pending = [] as PendingMessage[],
  notices = [] as Notice[],
  hasOlder = false,
  ...unread
}: Partial<Pick<MessageListProps, 'newMessagesBefore' | 'seenBy' | 'readSeq' | 'onVisibleSeq'>> & {
  messages?: MessageDto[];
  pending?: PendingMessage[];
  notices?: Notice[];
  hasOlder?: boolean;
} = {}) {
  const onRetry = jest.fn();
  const onDiscard = jest.fn();
  const onLoadOlder = jest.fn();
  const list = (items: MessageDto[]) => (
    <MessageList
      entries={buildTimeline({ messages: items, pending, notices, own, now, locale: 'en-US' })}
      onRetry={onRetry}
      onDiscard={onDiscard}
      hasOlder={hasOlder}
      isLoadingOlder={false}
      onLoadOlder={onLoadOlder}
      {...unread}
    />
  );
  const { rerender } = render(list(messages));
  return {
    onRetry,
    onDiscard,
    onLoadOlder,
    log: screen.getByRole('log', { name: 'Messages' }),
    /** The list with these messages instead (a message arrived). */
    showMessages: (items: MessageDto[]) => rerender(list(items)),
  };
}

/**
 * Stands in for the browser's IntersectionObserver (jsdom has none): the test says which
 * messages, by seq, are on screen.
 */
class FakeIntersectionObserver {
  static current: FakeIntersectionObserver | undefined;
  private readonly targets = new Set<Element>();

  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.current = this;
  }

  observe(target: Element) {
    this.targets.add(target);
  }

  disconnect() {
    this.targets.clear();
  }

  show(...seqs: number[]) {
    const changes = [...this.targets].map((target) => {
      const shown = seqs.includes(Number((target as HTMLElement).dataset.seq));
      return {
        target,
        isIntersecting: shown,
        intersectionRatio: shown ? 1 : 0,
        intersectionRect: { height: shown ? 40 : 0 },
        rootBounds: { height: 400 },
      } as unknown as IntersectionObserverEntry;
    });
    act(() => this.callback(changes, this as unknown as IntersectionObserver));
  }
}

describe('MessageList', () => {
  it('shows day separators and names a sender once per group', () => {
    const { log } = renderList({
      messages: [message(1, 14, 0), message(2, 15, 0), message(3, 15, 1), message(4, 15, 2, me)],
    });
    expect(within(log).getByText('Yesterday')).toBeInTheDocument();
    expect(within(log).getByText('Today')).toBeInTheDocument();
    const articles = within(log).getAllByRole('article');
    expect(articles).toHaveLength(4);
    // Grouped messages keep the name for screen readers but hide it visually.
    expect(within(articles[1]).getByText('Ann')).not.toHaveClass('visually-hidden');
    expect(within(articles[2]).getByText('Ann')).toHaveClass('visually-hidden');
  });

  it('marks own messages apart from others', () => {
    const { log } = renderList({ messages: [message(1, 15, 0), message(2, 15, 1, me)] });
    const [theirs, mine] = within(log).getAllByRole('article');
    expect(theirs).toHaveAttribute('data-own', 'false');
    expect(theirs).toHaveClass('message');
    expect(theirs).not.toHaveClass('message--own');
    expect(mine).toHaveAttribute('data-own', 'true');
    expect(mine).toHaveAttribute('data-status', 'sent');
    expect(mine).toHaveClass('message--own');
  });

  it('renders text as text, keeping line breaks', () => {
    const { log } = renderList({
      messages: [message(1, 15, 0, ann, '<img src=x onerror=alert(1)>\nsecond line')],
    });
    const content = within(log).getByText(/second line/);
    // Markdown keeps the sender's line break as a <br>; the markup stays text.
    expect(content.textContent).toBe('<img src=x onerror=alert(1)>second line');
    expect(content.querySelector('br')).not.toBeNull();
    expect(log.querySelector('img')).toBeNull();
  });

  it('shows pending, retrying and failed sends; retries or discards them', async () => {
    const user = userEvent.setup();
    const createdAt = new Date(2026, 5, 15, 9, 5).toISOString();
    const { log, onRetry, onDiscard } = renderList({
      pending: [
        {
          clientMessageId: 'p1',
          room: 'abcdefghij',
          content: 'on its way',
          createdAt,
          status: 'pending',
        },
        {
          clientMessageId: 'p2',
          room: 'abcdefghij',
          content: 'lost',
          createdAt,
          status: 'failed',
          error: 'The server did not answer in time.',
        },
        {
          clientMessageId: 'p3',
          room: 'abcdefghij',
          content: 'waiting',
          createdAt,
          status: 'pending',
          error: 'Too many messages',
        },
      ],
    });
    const [sending, failed, retrying] = within(log).getAllByRole('article');
    expect(sending).toHaveAttribute('data-status', 'pending');
    expect(within(sending).getByText('Sending…')).toBeInTheDocument();
    expect(within(sending).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();

    expect(failed).toHaveAttribute('data-status', 'failed');
    expect(
      within(failed).getByText(/Not sent: The server did not answer in time/),
    ).toBeInTheDocument();
    await user.click(within(failed).getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith('p2');
    await user.click(within(failed).getByRole('button', { name: 'Discard' }));
    expect(onDiscard).toHaveBeenCalledWith('p2');

    // Kept in the outbox and retried with backoff; the user may hurry it or give up.
    expect(retrying).toHaveAttribute('data-status', 'pending');
    expect(within(retrying).getByText(/retrying: Too many messages/)).toBeInTheDocument();
    await user.click(within(retrying).getByRole('button', { name: 'Retry now' }));
    expect(onRetry).toHaveBeenLastCalledWith('p3');
    await user.click(within(retrying).getByRole('button', { name: 'Discard' }));
    expect(onDiscard).toHaveBeenLastCalledWith('p3');
  });

  it('shows join and leave notices as notes, not as messages', () => {
    const { log } = renderList({
      messages: [message(1, 15, 0)],
      notices: [
        {
          id: 'n1',
          room: 'abcdefghij',
          kind: 'join',
          content: 'Bob joined the room',
          createdAt: new Date(2026, 5, 15, 9, 1).toISOString(),
        },
      ],
    });
    expect(within(log).getByRole('note')).toHaveTextContent('Bob joined the room');
    expect(within(log).getAllByRole('article')).toHaveLength(1);
  });

  it('offers older history when there is more', async () => {
    const user = userEvent.setup();
    const { onLoadOlder } = renderList({ messages: [message(5, 15, 0)], hasOlder: true });
    await user.click(screen.getByRole('button', { name: 'Load older messages' }));
    expect(onLoadOlder).toHaveBeenCalledTimes(1);
  });

  it('says when the room is empty', () => {
    renderList();
    expect(screen.getByText('No messages yet. Say hello!')).toBeInTheDocument();
  });

  it('puts "New messages" before the first unread message', () => {
    const { log } = renderList({
      messages: [message(1, 15, 0), message(2, 15, 1), message(3, 15, 2)],
      newMessagesBefore: 2,
    });
    const divider = within(log).getByRole('separator', { name: 'New messages' });
    const [, second] = within(log).getAllByRole('article');
    expect(divider.nextElementSibling).toContainElement(second);
  });

  it('shows no divider when nothing is unread', () => {
    const { log } = renderList({ messages: [message(1, 15, 0)], newMessagesBefore: null });
    expect(within(log).queryByRole('separator', { name: 'New messages' })).toBeNull();
  });

  it('says "Seen" under the message it belongs to', () => {
    const { log } = renderList({
      messages: [message(1, 15, 0, me), message(2, 15, 1, me), message(3, 15, 2)],
      seenBy: { seq: 1, label: 'Seen by Ann' },
    });
    const [first, second] = within(log).getAllByRole('article');
    expect(first.parentElement).toHaveTextContent('Seen by Ann');
    expect(second.parentElement).not.toHaveTextContent('Seen');
    expect(within(log).getAllByText(/^Seen/)).toHaveLength(1);
  });

  it('does not move a list scrolled up when a message arrives, and follows the bottom otherwise', () => {
    const first = [message(1, 15, 0), message(2, 15, 1)];
    const { log, showMessages } = renderList({ messages: first });
    Object.defineProperties(log, {
      scrollHeight: { configurable: true, value: 2000 },
      clientHeight: { configurable: true, value: 400 },
    });
    log.scrollTop = 600;
    act(() => {
      log.dispatchEvent(new Event('scroll'));
    });
    showMessages([...first, message(3, 15, 2)]);
    expect(log.scrollTop).toBe(600);

    log.scrollTop = 1600;
    act(() => {
      log.dispatchEvent(new Event('scroll'));
    });
    showMessages([...first, message(3, 15, 2), message(4, 15, 3)]);
    expect(log.scrollTop).toBe(2000);
  });

  describe('with what is on screen', () => {
    const original = window.IntersectionObserver;
    beforeEach(() => {
      window.IntersectionObserver =
        FakeIntersectionObserver as unknown as typeof IntersectionObserver;
    });
    afterEach(() => {
      window.IntersectionObserver = original;
      FakeIntersectionObserver.current = undefined;
    });

    it('reports the highest seq on screen as it changes', () => {
      const onVisibleSeq = jest.fn();
      renderList({
        messages: [message(1, 15, 0), message(2, 15, 1), message(3, 15, 2)],
        onVisibleSeq,
      });
      const observer = FakeIntersectionObserver.current!;
      observer.show(1, 2);
      expect(onVisibleSeq).toHaveBeenLastCalledWith(2);
      observer.show(2, 3);
      expect(onVisibleSeq).toHaveBeenLastCalledWith(3);
      onVisibleSeq.mockClear();
      observer.show(3);
      expect(onVisibleSeq).not.toHaveBeenCalled();
    });

    it('offers "Jump to latest" when scrolled up, with the count of unread messages below', async () => {
      const user = userEvent.setup();
      const { log } = renderList({
        messages: [message(1, 15, 0), message(2, 15, 1), message(3, 15, 2, me), message(4, 15, 3)],
        readSeq: 1,
      });
      expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
      // jsdom lays nothing out: a scroll event with the offsets of a list scrolled up.
      Object.defineProperties(log, {
        scrollHeight: { configurable: true, value: 2000 },
        clientHeight: { configurable: true, value: 400 },
      });
      log.scrollTop = 600;
      act(() => {
        log.dispatchEvent(new Event('scroll'));
      });
      FakeIntersectionObserver.current!.show(1);
      const jump = screen.getByRole('button', { name: /Jump to latest/ });
      // 2 and 4 are unread and below; 3 is mine.
      expect(jump).toHaveTextContent('Jump to latest 2 new');
      FakeIntersectionObserver.current!.show(2);
      expect(jump).toHaveTextContent('Jump to latest 1 new');

      await user.click(jump);
      expect(log.scrollTop).toBe(2000);
    });
  });
});
