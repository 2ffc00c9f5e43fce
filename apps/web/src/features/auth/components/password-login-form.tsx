import { useId, useState, type FormEvent } from 'react';
import { LoginDto, validatePayload } from '@parley/contracts';
import { FieldError } from '@/components/ui/field-error';
import { isApiRequestError } from '@/lib/api-error';
import { useLogIn } from '../api/log-in';
import { describeAuthError, type FormErrors, issuesToErrors, noErrors } from '../lib/form-errors';

const FIELDS = ['username', 'password'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Labelled "Log in with password", not "Sign in …": the guest form is the page's "Sign in" form,
 * and accessible-name lookups (Playwright's included) match substrings.
 */
export function PasswordLoginForm() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>(() => noErrors(FIELDS));
  const logIn = useLogIn();
  const id = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validatePayload(LoginDto, { username, password });
    if (!result.ok) {
      setErrors(issuesToErrors(FIELDS, result.issues));
      return;
    }
    setErrors(noErrors(FIELDS));
    logIn.mutate(result.value, {
      onError: (error) => {
        setErrors(
          isApiRequestError(error) && error.code === 'validation_failed'
            ? issuesToErrors(FIELDS, error.details?.issues ?? [])
            : { ...noErrors(FIELDS), form: [describeAuthError(error)] },
        );
        setPassword('');
      },
    });
  };

  return (
    <form className="sign-in-form" aria-label="Log in with password" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          className="input"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          aria-invalid={errors.username.length > 0 || undefined}
          aria-describedby={errors.username.length > 0 ? `${id}-username-error` : undefined}
          onChange={(event) => setUsername(event.target.value)}
        />
        <FieldError id={`${id}-username-error`} messages={errors.username} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          className="input"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          aria-invalid={errors.password.length > 0 || undefined}
          aria-describedby={errors.password.length > 0 ? `${id}-password-error` : undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
        <FieldError id={`${id}-password-error`} messages={errors.password} />
      </div>
      {errors.form.length > 0 && (
        <p className="form-error" role="alert">
          {errors.form.join(' ')}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={logIn.isPending}
      >
        Log in
      </button>
    </form>
  );
}
