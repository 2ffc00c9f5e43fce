import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MessageDto } from '@parley/contracts';
import { buildTimeline, type Notice, type PendingMessage } from '../lib/timeline';
import { MessageList } from './message-list';

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
    clientMessageId: `c${seq}`,
    createdAt: new Date(2026, 5, day, 9, minute).toISOString(),
  };
}

function renderList({
  messages = [] as MessageDto[],
  pending = [] as PendingMessage[],
  notices = [] as Notice[],
  hasOlder = false,
} = {}) {
  const onRetry = jest.fn();
  const onDiscard = jest.fn();
  const onLoadOlder = jest.fn();
  render(
    <MessageList
      entries={buildTimeline({ messages, pending, notices, own, now, locale: 'en-US' })}
      onRetry={onRetry}
      onDiscard={onDiscard}
      hasOlder={hasOlder}
      isLoadingOlder={false}
      onLoadOlder={onLoadOlder}
    />,
  );
  return { onRetry, onDiscard, onLoadOlder, log: screen.getByRole('log', { name: 'Messages' }) };
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
    expect(content.textContent).toBe('<img src=x onerror=alert(1)>\nsecond line');
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
});
