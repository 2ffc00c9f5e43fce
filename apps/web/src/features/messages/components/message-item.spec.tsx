import { render, screen } from '@testing-library/react';
import type { MentionDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import type { TimelineMessage } from '../lib/timeline';
import { MessageItem } from './message-item';

const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';

const mention = (userId: string, username: string): MentionDto => ({ userId, username });

function message(patch: Partial<TimelineMessage>): TimelineMessage {
  return {
    key: 'id:1',
    clientMessageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    seq: 1,
    senderName: 'Cat',
    senderUsername: 'cat',
    content: '',
    mentions: [],
    mentionsRoom: false,
    createdAt: '2026-03-01T10:00:00.000Z',
    status: 'sent',
    own: false,
    showSender: true,
    ...patch,
  };
}

function renderMessage(patch: Partial<TimelineMessage>) {
  const { container } = render(<MessageItem message={message(patch)} onRetry={jest.fn()} />);
  return {
    article: screen.getByRole('article'),
    highlighted: () =>
      [...container.querySelectorAll('.mention')].map((element) => element.textContent),
    container,
  };
}

beforeEach(() => {
  sessionStore.set({
    accessToken: 'token-1',
    accessTokenExpiresAt: '2099-01-01T00:00:00.000Z',
    user: {
      id: ANN,
      username: 'ann',
      displayName: 'Ann',
      registered: true,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
});

afterEach(() => sessionStore.clear());

describe('MessageItem: mentions', () => {
  it('highlights the names the server resolved, as typed, and nothing else', () => {
    const { article, highlighted } = renderMessage({
      content: 'Hi @Ben, @nobody and @room: mail ann@example.com',
      mentions: [mention(BEN, 'ben')],
    });
    expect(highlighted()).toEqual(['@Ben']);
    expect(article).toHaveTextContent('Hi @Ben, @nobody and @room: mail ann@example.com');
    expect(article).not.toHaveAttribute('data-mentions-me');
  });

  it('marks a message that mentions me, and my name in it', () => {
    const { article, container } = renderMessage({
      content: 'thanks @ann.',
      mentions: [mention(ANN, 'ann')],
    });
    expect(article).toHaveAttribute('data-mentions-me', 'true');
    expect(article).toHaveClass('message--mentions-me');
    expect(screen.getByText('Mentions you')).toBeInTheDocument();
    expect(container.querySelector('.mention--me')).toHaveTextContent(/^@ann$/);
  });

  it('treats @room as a mention of me when it counted', () => {
    const { article, highlighted } = renderMessage({
      content: '@room meeting now',
      mentionsRoom: true,
    });
    expect(highlighted()).toEqual(['@room']);
    expect(article).toHaveAttribute('data-mentions-me', 'true');
  });

  it('does not mark my own message', () => {
    renderMessage({ content: '@room hi @ann', mentionsRoom: true, own: true });
    expect(screen.getByRole('article')).not.toHaveAttribute('data-mentions-me');
  });

  it('shows a message still being sent as plain text', () => {
    const { highlighted } = renderMessage({
      content: 'hi @ben',
      mentions: undefined,
      mentionsRoom: undefined,
      status: 'pending',
      own: true,
    });
    expect(highlighted()).toEqual([]);
  });

  it('keeps markup as text', () => {
    const { article, container, highlighted } = renderMessage({
      content: '<img src=x onerror="alert(1)"> @ben <b>bold</b>',
      mentions: [mention(BEN, 'ben')],
    });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(highlighted()).toEqual(['@ben']);
    expect(article).toHaveTextContent('<img src=x onerror="alert(1)"> @ben <b>bold</b>');
  });
});
