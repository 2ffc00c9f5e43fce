import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyButton } from './copy-button';

describe('CopyButton', () => {
  it('copies the text and confirms it visibly for a moment', async () => {
    jest.useFakeTimers();
    try {
      const user = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
      const writeText = jest.spyOn(navigator.clipboard, 'writeText');
      render(<CopyButton text="https://parley.example/rooms/abc123defg" label="Copy link" />);

      await user.click(screen.getByRole('button', { name: 'Copy link' }));
      expect(writeText).toHaveBeenCalledWith('https://parley.example/rooms/abc123defg');
      expect(await navigator.clipboard.readText()).toBe('https://parley.example/rooms/abc123defg');
      expect(screen.getByText('Copied')).toBeVisible();

      // The confirmation is set from a resolved promise, outside the click's act(); let React and
      // the timer catch up together.
      await act(() => jest.advanceTimersByTimeAsync(2_000));
      expect(screen.queryByText('Copied')).not.toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });
});
