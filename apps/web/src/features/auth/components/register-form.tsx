import { useId, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import { isCommonPassword, RegisterDto, validatePayload } from '@parley/contracts';
import { FieldError } from '@/components/ui/field-error';
import { isApiRequestError } from '@/lib/api-error';
import { useRegister } from '../api/register';
import {
  describeAuthError,
  type FormErrors,
  issuesToErrors,
  noErrors,
  WEAK_PASSWORD_MESSAGE,
} from '../lib/form-errors';

const FIELDS = ['username', 'displayName', 'password'] as const;
type Field = (typeof FIELDS)[number];

export function RegisterForm() {
  const [values, setValues] = useState<Record<Field, string>>({
    username: '',
    displayName: '',
    password: '',
  });
  const [errors, setErrors] = useState<FormErrors<Field>>(() => noErrors(FIELDS));
  const registration = useRegister();
  const id = useId();
  const fieldId = (field: Field) => `${id}-${field}`;
  const errorId = (field: Field) => `${id}-${field}-error`;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validatePayload(RegisterDto, {
      username: values.username,
      password: values.password,
      ...(values.displayName.trim() ? { displayName: values.displayName } : {}),
    });
    if (!result.ok) {
      setErrors(issuesToErrors(FIELDS, result.issues));
      return;
    }
    if (isCommonPassword(result.value.password)) {
      setErrors({ ...noErrors(FIELDS), password: [WEAK_PASSWORD_MESSAGE] });
      return;
    }
    setErrors(noErrors(FIELDS));
    registration.mutate(result.value, {
      onError: (error) => {
        if (!isApiRequestError(error)) {
          setErrors({ ...noErrors(FIELDS), form: [describeAuthError(error)] });
        } else if (error.code === 'validation_failed') {
          setErrors(issuesToErrors(FIELDS, error.details?.issues ?? []));
        } else if (error.code === 'username_taken') {
          setErrors({ ...noErrors(FIELDS), username: [describeAuthError(error)] });
        } else if (error.code === 'weak_password') {
          setErrors({ ...noErrors(FIELDS), password: [describeAuthError(error)] });
        } else {
          setErrors({ ...noErrors(FIELDS), form: [describeAuthError(error)] });
        }
      },
    });
  };

  const input = (field: Field, label: string, props: InputHTMLAttributes<HTMLInputElement>) => (
    <div className="field">
      <label htmlFor={fieldId(field)}>{label}</label>
      <input
        id={fieldId(field)}
        className="input"
        name={field}
        value={values[field]}
        aria-invalid={errors[field].length > 0 || undefined}
        aria-describedby={errors[field].length > 0 ? errorId(field) : undefined}
        onChange={(event) => setValues({ ...values, [field]: event.target.value })}
        {...props}
      />
      <FieldError id={errorId(field)} messages={errors[field]} />
    </div>
  );

  return (
    <form className="sign-in-form" aria-label="Create account" onSubmit={onSubmit} noValidate>
      {input('username', 'Username', {
        autoComplete: 'username',
        autoCapitalize: 'none',
        spellCheck: false,
      })}
      {input('displayName', 'Display name', { autoComplete: 'nickname' })}
      {input('password', 'Password', { type: 'password', autoComplete: 'new-password' })}
      <p className="field__hint">At least 8 characters. A few words you will remember work well.</p>
      {errors.form.length > 0 && (
        <p className="form-error" role="alert">
          {errors.form.join(' ')}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={registration.isPending}
      >
        Create account
      </button>
    </form>
  );
}
