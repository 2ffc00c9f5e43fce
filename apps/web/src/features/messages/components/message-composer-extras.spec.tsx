import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MessageDto, ReplyPreviewDto } from '@parley/contracts';
import { MessageRoomContext, type MessageRoom } from '../hooks/message-room-context';
import { MessageComposer, shortcodeTokenAt } from './message-composer';

function setup(room?: Partial<MessageRoom>) {
  const onSend = jest.fn();
  const stored = {} as MessageDto;
  const value: MessageRoom = {
    roomId: 'room000001',
    myId: 'me',
    myRole: 'member',
    kind: 'public',
    editWindowSeconds: null,
    nameOf: () => undefined,
    actions: {
      edit: jest.fn().mockResolvedValue(stored),
      remove: jest.fn().mockResolvedValue(stored),
      react: jest.fn().mockResolvedValue(stored),
      pin: jest.fn().mockResolvedValue(stored),
    },
    replyingTo: null,
    setReplyingTo: jest.fn(),
    jumpTo: jest.fn().mockResolvedValue(true),
    ...room,
  };
  render(
    <MessageRoomContext value={value}>
      <MessageComposer onSend={onSend} />
    </MessageRoomContext>,
  );
  return {
    onSend,
    value,
    input: screen.getByRole('textbox', { name: 'Message' }),
    user: userEvent.setup(),
  };
}

describe('MessageComposer: :shortcode: autocomplete', () => {
  it('finds the :shortcode being typed, not times or URLs', () => {
    expect(shortcodeTokenAt('hi :smi', 7)).toEqual({ start: 3, query: 'smi' });
    expect(shortcodeTokenAt(':+1', 3)).toEqual({ start: 0, query: '+1' });
    expect(shortcodeTokenAt('at 12:30', 8)).toBeNull();
    expect(shortcodeTokenAt('see http://x', 12)).toBeNull();
    expect(shortcodeTokenAt('one :s', 6)).toBeNull();
  });

  it('lists emoji for ":smi" and inserts the one picked with Enter', async () => {
    const { input, user, onSend } = setup();
    await user.type(input, 'Hello :smi');
    const list = await screen.findByRole('listbox', { name: 'Emoji suggestions' });
    const names = within(list)
      .getAllByRole('option')
      .map((option) => /:[^:]+:/.exec(option.textContent ?? '')?.[0]);
    expect(names).toEqual(expect.arrayContaining([':smile:', ':smiley:', ':smirk:']));
    // The exact name comes first.
    await user.type(input, 'le');
    const [first] = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(first).toHaveTextContent(':smile:');
    expect(first).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(input).toHaveValue('Hello 😄');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('Hello 😄');
  });
});

describe('MessageComposer: replies', () => {
  const replyingTo: ReplyPreviewDto = {
    id: '665f1c2b1e8a474d7e9a6601',
    seq: 3,
    sender: { id: 'ben', username: 'ben', displayName: 'Ben' },
    excerpt: 'the original',
    deleted: false,
  };

  it('shows what is answered, sends it with replyTo and ends the reply', async () => {
    const { input, user, onSend, value } = setup({ replyingTo });
    expect(screen.getByRole('group', { name: 'Replying to' })).toHaveTextContent(
      'Replying to Ben: the original',
    );
    await user.type(input, 'Agreed{Enter}');
    expect(onSend).toHaveBeenCalledWith('Agreed', { replyTo: replyingTo.id });
    expect(value.setReplyingTo).toHaveBeenCalledWith(null);
  });

  it('cancels with the button or Escape', async () => {
    const { input, user, value } = setup({ replyingTo });
    await user.click(screen.getByRole('button', { name: 'Cancel reply' }));
    expect(value.setReplyingTo).toHaveBeenCalledWith(null);
    await user.type(input, '{Escape}');
    expect(value.setReplyingTo).toHaveBeenCalledTimes(2);
  });
});
