import { render, screen } from '@testing-library/react';
import { ConnectionBanner } from './connection-banner';

describe('ConnectionBanner', () => {
  it.each([
    ['connecting', 'Connecting…'],
    ['reconnecting', 'Connection lost. Reconnecting…'],
    ['offline', 'You are offline. Parley reconnects when your network is back.'],
  ] as const)('announces %s', (status, text) => {
    render(<ConnectionBanner status={status} />);
    const banner = screen.getByRole('status');
    expect(banner).toHaveTextContent(text);
    expect(banner).toHaveAttribute('aria-live', 'polite');
    expect(banner).toHaveAttribute('data-state', status);
  });

  it('stays in the page, empty, while connected so later changes are announced', () => {
    const { rerender } = render(<ConnectionBanner status="connected" />);
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    rerender(<ConnectionBanner status="reconnecting" />);
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting');
  });
});
