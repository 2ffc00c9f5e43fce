import { useId, useState, type FormEvent } from 'react';
import { ClaimAccountDto, isCommonPassword, validatePayload } from '@parley/contracts';
import { FieldError } from '@/components/ui/field-error';
import { isApiRequestError } from '@/lib/api-error';
import { useClaimName } from '../api/claim-name';
import { describeAuthError, WEAK_PASSWORD_MESSAGE } from '../lib/form-errors';

/**
 * For guests: "Claim your name" opens a password field; once set, the name is theirs and they
 * can log in with it from any device. Success re-renders the shell without this prompt.
 */
export function ClaimNameForm() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const claim = useClaimName();
  const id = useId();

  if (!open) {
    return (
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={() => setOpen(true)}
      >
        Claim your name
      </button>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validatePayload(ClaimAccountDto, { password });
    if (!result.ok) {
      setErrors(result.issues.flatMap((issue) => issue.messages));
      return;
    }
    if (isCommonPassword(password)) {
      setErrors([WEAK_PASSWORD_MESSAGE]);
      return;
    }
    setErrors([]);
    claim.mutate(result.value, {
      onError: (error) =>
        setErrors(
          isApiRequestError(error) && error.code === 'validation_failed'
            ? (error.details?.issues ?? []).flatMap((issue) => issue.messages)
            : [describeAuthError(error)],
        ),
    });
  };

  return (
    <form className="claim-name-form" aria-label="Claim your name" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          className="input"
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={errors.length > 0 ? `${id}-error` : `${id}-hint`}
          onChange={(event) => setPassword(event.target.value)}
        />
        <p id={`${id}-hint`} className="field__hint">
          Keep this name: set a password to log in with it later.
        </p>
        <FieldError id={`${id}-error`} messages={errors} />
      </div>
      <div className="claim-name-form__actions">
        <button
          type="submit"
          className="button button--primary button--small"
          disabled={claim.isPending}
        >
          Save password
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => setOpen(false)}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
