import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  MESSAGE_MAX_LENGTH,
  ROOM_MENTION_OPEN_MAX_MEMBERS,
  type RoomKind,
  type RoomMemberDto,
  type RoomRole,
  type RoomViewDto,
} from '@parley/contracts';
import {
  NotificationOffer,
  NotificationsProvider,
  type NotificationApi,
} from '@/features/notifications';
import { sessionStore } from '@/lib/session-store';
import {
  ComposerForm,
  MENTION_SUGGESTIONS_MAX,
  MessageComposer,
  canMentionRoom,
  insertMention,
  mentionSuggestions,
  mentionTokenAt,
  messageLength,
  type MentionCandidate,
} from './message-composer';

function setup(props: Partial<Parameters<typeof MessageComposer>[0]> = {}) {
  const onSend = jest.fn();
  render(<MessageComposer onSend={onSend} {...props} />);
  return {
    onSend,
    input: screen.getByRole('textbox', { name: 'Message' }),
    sendButton: screen.getByRole('button', { name: 'Send' }),
    user: userEvent.setup(),
  };
}

describe('MessageComposer', () => {
  it('reports each edit and the blur, but not the clearing after a send', async () => {
    const onDraftChange = jest.fn();
    const onBlur = jest.fn();
    const { input, user } = setup({ onDraftChange, onBlur });
    await user.type(input, 'hi');
    expect(onDraftChange.mock.calls).toEqual([['h'], ['hi']]);
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('');
    expect(onDraftChange).toHaveBeenCalledTimes(2);
    await user.type(input, 'x{Backspace}');
    expect(onDraftChange).toHaveBeenLastCalledWith('');
    expect(onBlur).not.toHaveBeenCalled();
    await user.tab();
    expect(onBlur).toHaveBeenCalledTimes(1);
  });

  it('sends the trimmed text on Enter and clears the box', async () => {
    const { onSend, input, user } = setup();
    await user.type(input, '  hello there  {Enter}');
    expect(onSend).toHaveBeenCalledWith('hello there');
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
  });

  it('adds a new line on Shift+Enter instead of sending', async () => {
    const { onSend, input, user } = setup();
    await user.type(input, 'first{Shift>}{Enter}{/Shift}second');
    expect(onSend).not.toHaveBeenCalled();
    expect(input).toHaveValue('first\nsecond');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledWith('first\nsecond');
  });

  it('refuses an empty or whitespace-only message', async () => {
    const { onSend, input, sendButton, user } = setup();
    expect(sendButton).toBeDisabled();
    await user.type(input, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(sendButton).toBeDisabled();
  });

  it('shows the remaining characters near the limit and refuses more than the limit', async () => {
    const { onSend, input, sendButton, user } = setup();
    await user.click(input);
    await user.paste('a'.repeat(MESSAGE_MAX_LENGTH - 10));
    expect(screen.getByText('10 characters left')).toBeInTheDocument();
    expect(input).toHaveAccessibleDescription('10 characters left');
    expect(sendButton).toBeEnabled();

    await user.paste('b'.repeat(15));
    expect(
      screen.getByText(`5 characters over the ${MESSAGE_MAX_LENGTH} limit`),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(sendButton).toBeDisabled();
    await user.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('hides the counter while far from the limit', async () => {
    const { input, user } = setup();
    await user.type(input, 'short');
    expect(screen.queryByText(/characters left/)).not.toBeInTheDocument();
  });

  it('does not send while disabled', () => {
    const { input, sendButton } = setup({ disabled: true });
    expect(input).toBeDisabled();
    expect(sendButton).toBeDisabled();
  });
});

describe('messageLength', () => {
  it('counts code points of the trimmed text, like the server', () => {
    expect(messageLength('  hi  ')).toBe(2);
    expect(messageLength('👋🏽')).toBe(2);
    expect(messageLength('😀')).toBe(1);
  });
});

const ROOM_ID = 'abc123defg';
const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const BEA = '665f1c2b1e8a474d7e9a650c';
const CAT = '665f1c2b1e8a474d7e9a650d';

const candidate = (userId: string, username: string, displayName: string): MentionCandidate => ({
  userId,
  username,
  displayName,
});

const PEOPLE = [
  candidate(BEN, 'ben', 'Ben Ng'),
  candidate(BEA, 'bea', 'Beatrice'),
  candidate(CAT, 'cat', 'Catherine Baker'),
];

function setupMentions(canMentionRoom = true) {
  const onSend = jest.fn();
  const onDraftChange = jest.fn();
  render(
    <ComposerForm
      onSend={onSend}
      onDraftChange={onDraftChange}
      mentions={{ candidates: PEOPLE, canMentionRoom }}
    />,
  );
  return {
    onSend,
    onDraftChange,
    input: screen.getByRole('textbox', { name: 'Message' }),
    user: userEvent.setup(),
    options: () =>
      within(screen.getByRole('listbox', { name: 'Mention suggestions' }))
        .getAllByRole('option')
        .map((option) => option.textContent),
  };
}

describe('MessageComposer: mentions', () => {
  it('offers the members and @room after "@", and inserts the one picked with the keyboard', async () => {
    const { input, user, options, onSend, onDraftChange } = setupMentions();
    await user.type(input, 'hi @');
    expect(options()).toEqual([
      'Beatrice@bea',
      'Ben Ng@ben',
      'Catherine Baker@cat',
      '@roomNotify everyone in this room',
    ]);
    const listbox = screen.getByRole('listbox');
    expect(input).toHaveAttribute('aria-controls', listbox.id);
    expect(input).toHaveAttribute('aria-autocomplete', 'list');
    const first = screen.getAllByRole('option')[0];
    expect(first).toHaveAttribute('aria-selected', 'true');
    expect(input).toHaveAttribute('aria-activedescendant', first.id);

    await user.keyboard('{ArrowDown}');
    expect(screen.getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getAllByRole('option')[3]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');

    expect(input).toHaveValue('hi @ben ');
    expect(onSend).not.toHaveBeenCalled();
    expect(onDraftChange).toHaveBeenLastCalledWith('hi @ben ');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(input).not.toHaveAttribute('aria-activedescendant');

    await user.keyboard('how are you?{Enter}');
    expect(onSend).toHaveBeenCalledWith('hi @ben how are you?');
  });

  it('narrows the list by username or any word of the name, usernames first', async () => {
    const { input, user, options } = setupMentions();
    await user.type(input, '@b');
    expect(options()).toEqual(['Beatrice@bea', 'Ben Ng@ben', 'Catherine Baker@cat']);
    await user.type(input, 'a');
    expect(options()).toEqual(['Catherine Baker@cat']);
    await user.type(input, 'x');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('inserts with Tab or a click, and keeps the focus in the text box', async () => {
    const { input, user } = setupMentions();
    await user.type(input, '@ca');
    await user.keyboard('{Tab}');
    expect(input).toHaveValue('@cat ');
    expect(input).toHaveFocus();

    await user.type(input, 'and @ro');
    await user.click(screen.getByRole('option', { name: /@room/ }));
    expect(input).toHaveValue('@cat and @room ');
    expect(input).toHaveFocus();
  });

  it('closes on Escape until another "@" is typed, and Enter sends again', async () => {
    const { input, user, onSend } = setupMentions();
    await user.type(input, 'mail me @be');
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.type(input, 'n');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.type(input, ' or @');
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    await user.keyboard('{Escape}{Enter}');
    expect(onSend).toHaveBeenCalledWith('mail me @ben or @');
  });

  it('does not offer @room where it is not mine to use, nor anything inside a word', async () => {
    const { input, user, options } = setupMentions(false);
    await user.type(input, '@r');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '@');
    expect(options()).not.toContain('@roomNotify everyone in this room');
    await user.clear(input);
    await user.type(input, 'ann@b');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('follows the caret: no list once it leaves the @name', async () => {
    const { input, user } = setupMentions();
    await user.type(input, '@be');
    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('closes when the text box loses focus', async () => {
    const { input, user } = setupMentions();
    await user.type(input, '@');
    await user.tab({ shift: true });
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });
});

describe('mention helpers', () => {
  it('finds the @name being typed before the caret, with the server’s grammar', () => {
    expect(mentionTokenAt('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionTokenAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionTokenAt('(@be', 4)).toEqual({ start: 1, query: 'be' });
    expect(mentionTokenAt('mail@host', 9)).toBeNull();
    expect(mentionTokenAt('hi @an there', 12)).toBeNull();
    expect(mentionTokenAt('hi @an there', 6)).toEqual({ start: 3, query: 'an' });
  });

  it('replaces the typed @query and puts the caret after the name', () => {
    expect(insertMention('hi @b there', { start: 3, query: 'b' }, 5, 'ben')).toEqual({
      text: 'hi @ben there',
      caret: 7,
    });
    expect(insertMention('@b', { start: 0, query: 'b' }, 2, 'ben')).toEqual({
      text: '@ben ',
      caret: 5,
    });
  });

  it('keeps a place for @room among at most MENTION_SUGGESTIONS_MAX suggestions', () => {
    const many = Array.from({ length: 12 }, (_, index) =>
      candidate(`user${index}`, `user${String(index).padStart(2, '0')}`, `User ${index}`),
    );
    const withRoom = mentionSuggestions({ candidates: many, canMentionRoom: true }, '');
    expect(withRoom).toHaveLength(MENTION_SUGGESTIONS_MAX);
    expect(withRoom.at(-1)).toEqual({ kind: 'room' });
    expect(mentionSuggestions({ candidates: many, canMentionRoom: false }, '')).toHaveLength(
      MENTION_SUGGESTIONS_MAX,
    );
  });

  it('allows @room in small rooms, and to owners and moderators in big ones', () => {
    expect(canMentionRoom(ROOM_MENTION_OPEN_MAX_MEMBERS, 'member')).toBe(true);
    expect(canMentionRoom(ROOM_MENTION_OPEN_MAX_MEMBERS + 1, 'member')).toBe(false);
    expect(canMentionRoom(ROOM_MENTION_OPEN_MAX_MEMBERS + 1, 'moderator')).toBe(true);
    expect(canMentionRoom(ROOM_MENTION_OPEN_MAX_MEMBERS + 1, 'owner')).toBe(true);
  });
});

describe('MessageComposer in a room', () => {
  const member = (id: string, username: string, role: RoomRole = 'member'): RoomMemberDto => ({
    user: { id, username, displayName: username.toUpperCase() },
    role,
    joinedAt: '2026-01-01T00:00:00.000Z',
    presence: { status: 'online', lastSeenAt: null },
    readSeq: null,
  });

  const roomView = (kind: RoomKind, role: RoomRole): RoomViewDto => ({
    id: ROOM_ID,
    name: 'Room',
    kind,
    topic: null,
    role,
    createdBy: ANN,
    lastSeq: 0,
    lastMessage: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    readSeq: 0,
    notify: 'mentions',
    peer: null,
    editWindowSeconds: null,
  });

  function renderInRoom(kind: RoomKind, members: RoomMemberDto[]) {
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
    // Everything is cached and fresh: nothing is fetched.
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
    queryClient.setQueryData(['rooms', ROOM_ID], roomView(kind, members[0].role));
    queryClient.setQueryData(['rooms', ROOM_ID, 'members'], members);
    const api: NotificationApi = {
      permission: () => 'default',
      requestPermission: jest.fn(() => Promise.resolve<NotificationPermission>('granted')),
      show: jest.fn(),
      isPageHidden: () => false,
    };
    const offer = new NotificationOffer(api);
    const onSend = jest.fn();
    render(
      <QueryClientProvider client={queryClient}>
        <NotificationsProvider api={api} offer={offer}>
          <MessageComposer roomId={ROOM_ID} onSend={onSend} />
        </NotificationsProvider>
      </QueryClientProvider>,
    );
    return {
      offer,
      onSend,
      input: screen.getByRole('textbox', { name: 'Message' }),
      user: userEvent.setup(),
    };
  }

  afterEach(() => {
    // Unmounted first: signing out under a mounted composer would re-render it outside act().
    cleanup();
    sessionStore.clear();
    window.localStorage.clear();
  });

  it('offers the room’s other members, and offers notifications once I send', async () => {
    const { input, user, offer, onSend } = renderInRoom('public', [
      member(ANN, 'ann'),
      member(BEN, 'ben'),
    ]);
    await user.type(input, '@');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      'BEN@ben',
      '@roomNotify everyone in this room',
    ]);
    expect(screen.getByRole('img', { name: 'BEN is online' })).toBeInTheDocument();
    expect(offer.getSnapshot().prompting).toBe(false);
    await user.keyboard('{Enter}hello{Enter}');
    expect(onSend).toHaveBeenCalledWith('@ben hello');
    expect(offer.getSnapshot().prompting).toBe(true);
  });

  it('leaves @room to owners and moderators in a big room', async () => {
    const crowd = Array.from({ length: ROOM_MENTION_OPEN_MAX_MEMBERS }, (_, index) =>
      member(`${'0'.repeat(22)}${String(index + 10)}`, `user${index + 10}`),
    );
    const { input, user } = renderInRoom('public', [member(ANN, 'ann'), ...crowd]);
    await user.type(input, '@ro');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('lets a moderator of a big room use @room', async () => {
    const crowd = Array.from({ length: ROOM_MENTION_OPEN_MAX_MEMBERS }, (_, index) =>
      member(`${'0'.repeat(22)}${String(index + 10)}`, `user${index + 10}`),
    );
    const { input, user } = renderInRoom('public', [member(ANN, 'ann', 'moderator'), ...crowd]);
    await user.type(input, '@ro');
    expect(screen.getByRole('option', { name: /@room/ })).toBeInTheDocument();
  });

  it('offers notifications on opening a direct conversation, and no @room there', async () => {
    const { input, user, offer } = renderInRoom('direct', [member(ANN, 'ann'), member(BEN, 'ben')]);
    expect(offer.getSnapshot().prompting).toBe(true);
    await user.type(input, '@');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['BEN@ben']);
  });
});
