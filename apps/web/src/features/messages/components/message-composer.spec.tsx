import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MESSAGE_MAX_LENGTH } from '@parley/contracts';
import { MessageComposer, messageLength } from './message-composer';

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
