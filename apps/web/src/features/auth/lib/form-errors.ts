import type { ValidationIssue } from '@parley/contracts';
import { describeError, isApiRequestError } from '@/lib/api-error';

/** Messages per field, plus `form` for anything that belongs to no single field. */
export type FormErrors<Field extends string> = Record<Field | 'form', string[]>;

export function noErrors<Field extends string>(fields: readonly Field[]): FormErrors<Field> {
  const errors = { form: [] } as unknown as FormErrors<Field>;
  for (const field of fields) errors[field] = [];
  return errors;
}

export function issuesToErrors<Field extends string>(
  fields: readonly Field[],
  issues: readonly ValidationIssue[],
): FormErrors<Field> {
  const errors = noErrors(fields);
  for (const issue of issues) {
    const field = fields.find((candidate) => candidate === issue.field);
    errors[field ?? 'form'].push(...issue.messages);
  }
  return errors;
}

export const WEAK_PASSWORD_MESSAGE =
  'That password is too easy to guess. Avoid common passwords and your username.';

function minutes(ms: number | undefined): string {
  const value = Math.max(1, Math.ceil((ms ?? 60_000) / 60_000));
  return value === 1 ? '1 minute' : `${value} minutes`;
}

/** Wording for the account errors a person can act on; everything else as the app words it. */
export function describeAuthError(error: unknown): string {
  if (!isApiRequestError(error)) return describeError(error);
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong username or password.';
    case 'account_locked':
      return `Too many failed attempts. This account is locked; try again in ${minutes(error.details?.retryAfterMs)}.`;
    case 'rate_limited':
      return `Too many attempts from this device. Try again in ${minutes(error.details?.retryAfterMs)}.`;
    case 'weak_password':
      return WEAK_PASSWORD_MESSAGE;
    case 'already_registered':
      return 'This name already has a password.';
    default:
      return describeError(error);
  }
}
