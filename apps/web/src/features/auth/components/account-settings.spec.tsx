import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { MeDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { AccountSettings } from './account-settings';

const me = (shareReadState: boolean): MeDto => ({
  id: '665f1c2b1e8a474d7e9a650a',
  username: 'ann',
  displayName: 'Ann',
  registered: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  shareReadState,
});

function jsonResponse(status: number, body?: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(body === undefined ? '' : JSON.stringify(body)),
  } as Response;
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
const patches: unknown[] = [];
let patchStatus = 200;

beforeEach(() => {
  patches.length = 0;
  patchStatus = 200;
  fetchMock.mockReset();
  fetchMock.mockImplementation((url, init) => {
    const method = init?.method ?? 'GET';
    if (urlOf(url) === '/api/users/me' && method === 'GET') {
      return Promise.resolve(jsonResponse(200, me(true)));
    }
    if (urlOf(url) === '/api/users/me' && method === 'PATCH' && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { shareReadState: boolean };
      patches.push(body);
      return Promise.resolve(
        patchStatus === 200
          ? jsonResponse(200, me(body.shareReadState))
          : jsonResponse(patchStatus, { error: { code: 'internal_error', message: 'Boom' } }),
      );
    }
    return Promise.reject(new Error(`unexpected ${method} ${urlOf(url)}`));
  });
  global.fetch = fetchMock as typeof fetch;
  sessionStore.set({
    accessToken: 'token-1',
    accessTokenExpiresAt: '2099-01-01T00:00:00.000Z',
    user: me(true),
  });
});

afterEach(() => sessionStore.clear());

function renderSettings() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <QueryClientProvider client={queryClient}>
      <AccountSettings />
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

describe('AccountSettings', () => {
  it('shows whether I share read receipts and turns it off with PATCH /users/me', async () => {
    const user = renderSettings();
    await user.click(screen.getByText('Settings'));
    const toggle = screen.getByRole('checkbox', { name: 'Share read receipts' });
    await waitFor(() => expect(toggle).toBeChecked());
    expect(toggle).toHaveAccessibleDescription(/Others see how far you have read/);

    await user.click(toggle);
    expect(toggle).not.toBeChecked();
    await waitFor(() => expect(patches).toEqual([{ shareReadState: false }]));
    expect(toggle).not.toBeChecked();
  });

  it('puts the toggle back and says so when saving fails', async () => {
    patchStatus = 500;
    const user = renderSettings();
    await user.click(screen.getByText('Settings'));
    const toggle = screen.getByRole('checkbox', { name: 'Share read receipts' });
    await waitFor(() => expect(toggle).toBeChecked());
    await user.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not save');
    expect(toggle).toBeChecked();
  });

  it('cannot be toggled before the server has said what it is', () => {
    fetchMock.mockImplementation(() => new Promise(() => undefined));
    renderSettings();
    expect(
      screen.getByRole('checkbox', { name: 'Share read receipts', hidden: true }),
    ).toBeDisabled();
  });
});
