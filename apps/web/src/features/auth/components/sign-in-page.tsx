import { SignInForm } from './sign-in-form';

export function SignInPage() {
  return (
    <main className="sign-in-page">
      <div className="sign-in-page__card">
        <h1 className="brand brand--large">Parley</h1>
        <p className="sign-in-page__lead">Pick a username to start chatting. No password needed.</p>
        <SignInForm />
      </div>
    </main>
  );
}
