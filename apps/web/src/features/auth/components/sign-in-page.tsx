import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useRestoreSession } from '../hooks/use-restore-session';
import { PasswordLoginForm } from './password-login-form';
import { RegisterForm } from './register-form';
import { SignInForm } from './sign-in-form';

const TABS = [
  { id: 'guest', label: 'Guest', lead: 'Pick a username to start chatting. No password needed.' },
  { id: 'login', label: 'Log in', lead: 'Welcome back. Log in with your username and password.' },
  {
    id: 'register',
    label: 'Create account',
    lead: 'Keep your name and your rooms on every device.',
  },
] as const;

type TabId = (typeof TABS)[number]['id'];

export function SignInPage() {
  const restore = useRestoreSession();
  const [active, setActive] = useState<TabId>('guest');
  const tabRefs = useRef(new Map<TabId, HTMLButtonElement>());
  const id = useId();

  if (restore === 'restoring') {
    return (
      <main className="sign-in-page">
        <p className="sign-in-page__lead" role="status">
          Loading…
        </p>
      </main>
    );
  }

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = TABS.findIndex((tab) => tab.id === active);
    const next = TABS[(index + step + TABS.length) % TABS.length];
    if (!next) return;
    setActive(next.id);
    tabRefs.current.get(next.id)?.focus();
  };

  const current = TABS.find((tab) => tab.id === active) ?? TABS[0];

  return (
    <main className="sign-in-page">
      <div className="sign-in-page__card">
        <h1 className="brand brand--large">Parley</h1>
        <div className="tabs" role="tablist" aria-label="How to sign in" onKeyDown={onKeyDown}>
          {TABS.map((tab) => (
            <button
              key={tab.id}
              ref={(element) => {
                if (element) tabRefs.current.set(tab.id, element);
                else tabRefs.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`${id}-${tab.id}-tab`}
              className="tabs__tab"
              aria-selected={tab.id === active}
              aria-controls={`${id}-panel`}
              tabIndex={tab.id === active ? 0 : -1}
              onClick={() => setActive(tab.id)}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <div
          id={`${id}-panel`}
          role="tabpanel"
          aria-labelledby={`${id}-${current.id}-tab`}
          className="sign-in-page__panel"
        >
          <p className="sign-in-page__lead">{current.lead}</p>
          {current.id === 'guest' && <SignInForm />}
          {current.id === 'login' && <PasswordLoginForm />}
          {current.id === 'register' && <RegisterForm />}
        </div>
      </div>
    </main>
  );
}
