import { useId, useState, type FormEvent } from 'react';
import { GuestSignInDto, validatePayload, type ValidationIssue } from '@parley/contracts';
import { FieldError } from '@/components/ui/field-error';
import { describeError, isApiRequestError } from '@/lib/api-error';
import { useSignInGuest } from '../api/sign-in-guest';

type FieldErrors = { username: string[]; displayName: string[]; form: string[] };

const NO_ERRORS: FieldErrors = { username: [], displayName: [], form: [] };

function toFieldErrors(issues: ValidationIssue[]): FieldErrors {
  const errors: FieldErrors = { username: [], displayName: [], form: [] };
  for (const issue of issues) {
    const target =
      issue.field === 'username' || issue.field === 'displayName' ? issue.field : 'form';
    errors[target].push(...issue.messages);
  }
  return errors;
}

export function SignInForm() {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const signIn = useSignInGuest();
  const ids = {
    username: useId(),
    displayName: useId(),
    usernameError: useId(),
    displayNameError: useId(),
    hint: useId(),
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The same contract class the server validates with, so both sides give the same answer.
    const result = validatePayload(GuestSignInDto, {
      username,
      ...(displayName.trim() ? { displayName } : {}),
    });
    if (!result.ok) {
      setErrors(toFieldErrors(result.issues));
      return;
    }
    setErrors(NO_ERRORS);
    signIn.mutate(result.value, {
      onError: (error) => {
        if (isApiRequestError(error) && error.code === 'username_taken') {
          setErrors({ ...NO_ERRORS, username: [describeError(error)] });
        } else if (isApiRequestError(error) && error.code === 'validation_failed') {
          setErrors(toFieldErrors(error.details?.issues ?? []));
        } else {
          setErrors({ ...NO_ERRORS, form: [describeError(error)] });
        }
      },
    });
  };

  return (
    <form className="sign-in-form" aria-label="Sign in" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={ids.username}>Username</label>
        <input
          id={ids.username}
          className="input"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          aria-invalid={errors.username.length > 0 || undefined}
          aria-describedby={`${ids.hint}${errors.username.length > 0 ? ` ${ids.usernameError}` : ''}`}
          onChange={(event) => setUsername(event.target.value)}
        />
        <p id={ids.hint} className="field__hint">
          3–32 characters: a–z, 0–9, “_”, “.” or “-”.
        </p>
        <FieldError id={ids.usernameError} messages={errors.username} />
      </div>
      <div className="field">
        <label htmlFor={ids.displayName}>
          Display name <span className="field__optional">(optional)</span>
        </label>
        <input
          id={ids.displayName}
          className="input"
          name="displayName"
          autoComplete="nickname"
          value={displayName}
          aria-invalid={errors.displayName.length > 0 || undefined}
          aria-describedby={errors.displayName.length > 0 ? ids.displayNameError : undefined}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <FieldError id={ids.displayNameError} messages={errors.displayName} />
      </div>
      {errors.form.length > 0 && (
        <p className="form-error" role="alert">
          {errors.form.join(' ')}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={signIn.isPending}
      >
        Continue
      </button>
    </form>
  );
}
