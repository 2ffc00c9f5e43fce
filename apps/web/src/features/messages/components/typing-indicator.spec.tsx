import { render } from '@testing-library/react';
import { TypingIndicator } from './typing-indicator';

describe('TypingIndicator', () => {
  it('is a polite live region that stays empty while nobody types', () => {
    const { container, rerender } = render(<TypingIndicator typists={[]} />);
    const region = container.querySelector('[aria-live="polite"]');
    expect(region).toBeEmptyDOMElement();
    rerender(<TypingIndicator typists={[{ id: 'a', displayName: 'Ann' }]} />);
    expect(region).toHaveTextContent('Ann is typing…');
    rerender(
      <TypingIndicator
        typists={[
          { id: 'a', displayName: 'Ann' },
          { id: 'b', displayName: 'Ben' },
        ]}
      />,
    );
    expect(region).toHaveTextContent('Ann and Ben are typing…');
  });
});
