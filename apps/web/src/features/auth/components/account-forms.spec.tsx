import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { AuthSessionDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { resetRestoreAttempt } from '../hooks/use-restore-session';
import { useSignOut } from '../hooks/use-sign-out';
import { ClaimNameForm } from './claim-name-form';
import { PasswordLoginForm } from './password-login-form';
import { RegisterForm } from './register-form';
import { SignInPage } from './sign-in-page';

function jsonResponse(status: number, body?: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(body === undefined ? '' : JSON.stringify(body)),
  } as Response;
}

const session: AuthSessionDto = {
  accessToken: 'token-1',
  accessTokenExpiresAt: '2026-01-01T00:15:00.000Z',
  user: {
    id: 'u1',
    username: 'ann',
    displayName: 'Ann',
    registered: true,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};

const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

beforeEach(() => {
  fetchMock.mockReset();
  global.fetch = fetchMock as typeof fetch;
  sessionStore.clear();
});

function renderWithClient(ui: React.ReactElement) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return userEvent.setup();
}

function sentBody(call = 0): unknown {
  return JSON.parse(fetchMock.mock.calls[call]?.[1]?.body as string);
}

describe('RegisterForm', () => {
  function setup() {
    const user = renderWithClient(<RegisterForm />);
    const form = screen.getByRole('form', { name: 'Create account' });
    return {
      user,
      username: within(form).getByLabelText('Username'),
      displayName: within(form).getByLabelText('Display name'),
      password: within(form).getByLabelText('Password'),
      submit: within(form).getByRole('button', { name: 'Create account' }),
    };
  }

  it('creates the account and signs in', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, session));
    const { user, username, displayName, password, submit } = setup();
    await user.type(username, ' Ann ');
    await user.type(displayName, 'Ann B.');
    await user.type(password, 'violet kettle harbour');
    await user.click(submit);
    await waitFor(() => expect(sessionStore.get()).toEqual(session));
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/register');
    expect(sentBody()).toEqual({
      username: 'ann',
      password: 'violet kettle harbour',
      displayName: 'Ann B.',
    });
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAttribute('autocomplete', 'new-password');
  });

  it('refuses a short or common password before calling the server', async () => {
    const { user, password, username, submit } = setup();
    await user.type(username, 'ann');
    await user.type(password, 'short');
    await user.click(submit);
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription('password must be 8–256 characters');

    await user.clear(password);
    await user.type(password, 'Password123');
    await user.click(submit);
    expect(password).toHaveAccessibleDescription(expect.stringContaining('too easy to guess'));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('puts a taken username and a server-refused password on their fields', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, { error: { code: 'username_taken', message: 'taken' } }),
    );
    const { user, username, password, submit } = setup();
    await user.type(username, 'ann');
    await user.type(password, 'violet kettle harbour');
    await user.click(submit);
    expect(await screen.findByText('That username is taken. Pick another one.')).toBeVisible();
    expect(username).toHaveAttribute('aria-invalid', 'true');

    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, { error: { code: 'weak_password', message: 'weak' } }),
    );
    await user.click(submit);
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(sessionStore.get()).toBeNull();
  });
});

describe('PasswordLoginForm', () => {
  function setup() {
    const user = renderWithClient(<PasswordLoginForm />);
    const form = screen.getByRole('form', { name: 'Log in with password' });
    return {
      user,
      username: within(form).getByLabelText('Username'),
      password: within(form).getByLabelText('Password'),
      submit: within(form).getByRole('button', { name: 'Log in' }),
    };
  }

  it('logs in', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, session));
    const { user, username, password, submit } = setup();
    await user.type(username, 'Ann');
    await user.type(password, 'violet kettle harbour');
    await user.click(submit);
    await waitFor(() => expect(sessionStore.get()).toEqual(session));
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/login');
    expect(sentBody()).toEqual({ username: 'ann', password: 'violet kettle harbour' });
  });

  it.each([
    [{ code: 'invalid_credentials', message: 'x' }, 401, 'Wrong username or password.'],
    [
      { code: 'account_locked', message: 'x', details: { retryAfterMs: 14 * 60_000 + 1 } },
      429,
      'Too many failed attempts. This account is locked; try again in 15 minutes.',
    ],
    [
      { code: 'rate_limited', message: 'x', details: { retryAfterMs: 30_000 } },
      429,
      'Too many attempts from this device. Try again in 1 minute.',
    ],
  ])('explains %j and clears the password', async (error, status, text) => {
    fetchMock.mockResolvedValue(jsonResponse(status, { error }));
    const { user, username, password, submit } = setup();
    await user.type(username, 'ann');
    await user.type(password, 'wrong password');
    await user.click(submit);
    expect(await screen.findByRole('alert')).toHaveTextContent(text);
    expect(password).toHaveValue('');
    expect(sessionStore.get()).toBeNull();
  });
});

describe('ClaimNameForm', () => {
  it('sets a password for the guest and stores the registered session', async () => {
    sessionStore.set({ ...session, user: { ...session.user, registered: false } });
    fetchMock.mockResolvedValue(jsonResponse(200, { ...session, accessToken: 'token-2' }));
    const user = renderWithClient(<ClaimNameForm />);
    await user.click(screen.getByRole('button', { name: 'Claim your name' }));
    const form = screen.getByRole('form', { name: 'Claim your name' });
    await user.type(within(form).getByLabelText('Password'), 'violet kettle harbour');
    await user.click(within(form).getByRole('button', { name: 'Save password' }));
    await waitFor(() => expect(sessionStore.get()?.user.registered).toBe(true));
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/auth/claim');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer token-1');
    expect(sentBody()).toEqual({ password: 'violet kettle harbour' });
  });
});

describe('SignInPage', () => {
  beforeEach(() => resetRestoreAttempt());

  it('restores a session from the refresh cookie before showing any form', async () => {
    let answer!: (response: Response) => void;
    fetchMock.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderWithClient(<SignInPage />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/refresh');

    answer(jsonResponse(200, session));
    await waitFor(() => expect(sessionStore.get()).toEqual(session));
  });

  it('shows the guest form first, and the password forms as tabs, when there is no session', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(401, { error: { code: 'session_expired', message: 'x' } }),
    );
    const user = renderWithClient(<SignInPage />);
    const guest = await screen.findByRole('form', { name: 'Sign in' });
    expect(within(guest).getByRole('button', { name: 'Continue' })).toBeVisible();
    expect(screen.getByRole('tab', { name: 'Guest' })).toHaveAttribute('aria-selected', 'true');

    await user.click(screen.getByRole('tab', { name: 'Log in' }));
    expect(screen.getByRole('form', { name: 'Log in with password' })).toBeVisible();
    expect(screen.queryByRole('form', { name: 'Sign in' })).not.toBeInTheDocument();

    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Create account' })).toHaveFocus();
    expect(screen.getByRole('form', { name: 'Create account' })).toBeVisible();
    expect(sessionStore.get()).toBeNull();
  });
});

describe('useSignOut', () => {
  function SignOutButton() {
    const signOut = useSignOut();
    return (
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    );
  }

  it('revokes the session on the server before forgetting it locally', async () => {
    sessionStore.set(session);
    let answer!: (response: Response) => void;
    fetchMock.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const user = renderWithClient(<SignOutButton />);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/logout');
    expect(sessionStore.get()).toEqual(session);
    answer(jsonResponse(204));
    await waitFor(() => expect(sessionStore.get()).toBeNull());
  });

  it('signs out locally when the server cannot be reached', async () => {
    sessionStore.set(session);
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const user = renderWithClient(<SignOutButton />);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(sessionStore.get()).toBeNull());
  });
});
