import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MessageDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { MessageRoomContext, type MessageRoom } from '../hooks/message-room-context';
import type { TimelineMessage } from '../lib/timeline';
import { MessageItem } from './message-item';

const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const ID = '665f1c2b1e8a474d7e9a6600';

function message(patch: Partial<TimelineMessage> = {}): TimelineMessage {
  return {
    key: 'own:1',
    clientMessageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    id: ID,
    seq: 7,
    senderId: ANN,
    senderName: 'Ann',
    senderUsername: 'ann',
    content: 'Hello **there**',
    mentions: [],
    mentionsRoom: false,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deleted: false,
    reactions: [],
    replyTo: null,
    pinnedAt: null,
    attachments: [],
    status: 'sent',
    own: true,
    showSender: true,
    ...patch,
  };
}

function renderItem(
  patch: Partial<TimelineMessage> = {},
  room: Partial<Pick<MessageRoom, 'myRole' | 'kind' | 'editWindowSeconds'>> = {},
) {
  const stored = {} as MessageDto;
  const actions = {
    edit: jest.fn().mockResolvedValue(stored),
    remove: jest.fn().mockResolvedValue(stored),
    react: jest.fn().mockResolvedValue(stored),
    pin: jest.fn().mockResolvedValue(stored),
  };
  const value: MessageRoom = {
    roomId: 'room000001',
    myId: ANN,
    myRole: 'member',
    kind: 'public',
    editWindowSeconds: null,
    nameOf: (userId) => ({ [ANN]: 'Ann', [BEN]: 'Ben' })[userId],
    actions,
    replyingTo: null,
    setReplyingTo: jest.fn(),
    jumpTo: jest.fn().mockResolvedValue(true),
    ...room,
  };
  render(
    <MessageRoomContext value={value}>
      <MessageItem message={message(patch)} onRetry={jest.fn()} />
    </MessageRoomContext>,
  );
  const toolbar = () => screen.queryByRole('toolbar', { name: 'Message actions' });
  const buttons = () =>
    within(toolbar()!)
      .getAllByRole('button')
      .map((button) => button.textContent);
  return { actions, value, toolbar, buttons, user: userEvent.setup() };
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

describe('MessageItem: actions', () => {
  it('offers my own message react, reply, edit and delete; pinning is for moderators', () => {
    expect(renderItem().buttons()).toEqual(['React', 'Reply', 'Edit', 'Delete']);
  });

  it('offers someone else’s message to a moderator: delete and pin, but no edit', () => {
    const { buttons } = renderItem({ own: false, senderId: BEN }, { myRole: 'moderator' });
    expect(buttons()).toEqual(['React', 'Reply', 'Pin', 'Delete']);
  });

  it('lets either person pin in a direct conversation, but only the author delete', () => {
    const { buttons } = renderItem({ own: false, senderId: BEN }, { kind: 'direct' });
    expect(buttons()).toEqual(['React', 'Reply', 'Pin']);
  });

  it('closes editing once the room’s edit window has passed', () => {
    const { buttons } = renderItem(
      { createdAt: new Date(Date.now() - 120_000).toISOString() },
      { editWindowSeconds: 60 },
    );
    expect(buttons()).toEqual(['React', 'Reply', 'Delete']);
  });

  it('edits in place: Enter saves the trimmed text, Escape cancels', async () => {
    const { actions, user } = renderItem();
    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('textbox', { name: 'Edit message' });
    expect(editor).toHaveValue('Hello **there**');
    await user.type(editor, '{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    expect(actions.edit).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    await user.clear(screen.getByRole('textbox', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), '  Better  {Enter}');
    expect(actions.edit).toHaveBeenCalledWith(ID, 'Better');
    expect(await screen.findByText('Hello')).toBeInTheDocument();
  });

  it('deletes only after a confirmation in place (no browser dialog)', async () => {
    const { actions, user } = renderItem();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(actions.remove).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(
      within(screen.getByRole('group', { name: 'Delete' })).getByRole('button', { name: 'Delete' }),
    );
    expect(actions.remove).toHaveBeenCalledWith(ID);
  });

  it('shows reactions with counts and names; a chip toggles mine; quick reactions add', async () => {
    const { actions, user } = renderItem({
      reactions: [
        { emoji: '👍', count: 2, userIds: [BEN, ANN] },
        { emoji: '🎉', count: 2, userIds: [BEN, 'gone'] },
      ],
    });
    const [thumbs, party] = within(screen.getByRole('group', { name: 'Reactions' })).getAllByRole(
      'button',
    );
    expect(thumbs).toHaveAttribute('aria-pressed', 'true');
    expect(thumbs).toHaveAttribute('title', 'Ben, You');
    expect(party).toHaveAttribute('aria-pressed', 'false');
    expect(party).toHaveAttribute('title', 'Ben and 1 other');
    await user.click(thumbs);
    expect(actions.react).toHaveBeenLastCalledWith(ID, '👍', false);
    await user.click(party);
    expect(actions.react).toHaveBeenLastCalledWith(ID, '🎉', true);

    await user.click(screen.getByRole('button', { name: 'React' }));
    await user.click(screen.getByRole('button', { name: 'React with 😂' }));
    expect(actions.react).toHaveBeenLastCalledWith(ID, '😂', true);
  });

  it('starts a reply with a preview of the message, and jumps from a quote', async () => {
    const replyTo = {
      id: '665f1c2b1e8a474d7e9a6601',
      seq: 3,
      sender: { id: BEN, username: 'ben', displayName: 'Ben' },
      excerpt: 'the original',
      deleted: false,
    };
    const { value, user } = renderItem({ replyTo });
    await user.click(screen.getByRole('button', { name: 'Reply' }));
    expect(value.setReplyingTo).toHaveBeenCalledWith({
      id: ID,
      seq: 7,
      sender: { id: ANN, username: 'ann', displayName: 'Ann' },
      excerpt: 'Hello **there**',
      deleted: false,
    });
    await user.click(screen.getByRole('button', { name: /Reply to Ben: the original/ }));
    expect(value.jumpTo).toHaveBeenCalledWith(3);
  });

  it('shows a tombstone without actions, and "(edited)" with its time', () => {
    const { toolbar } = renderItem({ deleted: true, content: '' });
    expect(screen.getByText('Message deleted')).toBeInTheDocument();
    expect(toolbar()).toBeNull();
  });

  it('marks an edited message with the time as a tooltip', () => {
    renderItem({ editedAt: '2026-03-01T10:05:00.000Z' });
    expect(screen.getByText('(edited)')).toHaveAttribute(
      'title',
      expect.stringMatching(/^Edited /),
    );
  });
});
