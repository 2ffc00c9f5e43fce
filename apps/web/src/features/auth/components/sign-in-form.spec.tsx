import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { AuthSessionDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { SignInForm } from './sign-in-form';

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(JSON.stringify(body)),
  } as Response;
}

const session: AuthSessionDto = {
  accessToken: 'token-1',
  accessTokenExpiresAt: '2026-01-01T00:15:00.000Z',
  user: {
    id: 'u1',
    username: 'ann',
    displayName: 'Ann',
    registered: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};

describe('SignInForm', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as typeof fetch;
    sessionStore.clear();
  });

  function setup() {
    const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <SignInForm />
      </QueryClientProvider>,
    );
    const form = screen.getByRole('form', { name: 'Sign in' });
    return {
      user: userEvent.setup(),
      username: within(form).getByLabelText('Username'),
      continueButton: within(form).getByRole('button', { name: 'Continue' }),
    };
  }

  it('shows the contract validation message without calling the server', async () => {
    const { user, username, continueButton } = setup();
    await user.type(username, 'no spaces!');
    await user.click(continueButton);
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription(
      expect.stringContaining('username must be 3–32 characters of a–z, 0–9, "_", "." or "-"'),
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('signs in and remembers the session', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, session));
    const { user, username, continueButton } = setup();
    await user.type(username, ' Ann ');
    await user.click(continueButton);
    await waitFor(() => expect(sessionStore.get()).toEqual(session));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/auth/guest');
    // The contract's transform lower-cases and trims before sending.
    expect(JSON.parse(init?.body as string)).toEqual({ username: 'ann' });
  });

  it('reports a taken username on the username field', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(409, { error: { code: 'username_taken', message: 'Username taken' } }),
    );
    const { user, username, continueButton } = setup();
    await user.type(username, 'ann');
    await user.click(continueButton);
    expect(
      await screen.findByText('That username is taken. Pick another one.'),
    ).toBeInTheDocument();
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(sessionStore.get()).toBeNull();
  });
});
