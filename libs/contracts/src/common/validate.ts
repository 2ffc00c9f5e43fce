import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { ValidationIssue } from './errors';
import { memoizeValidationMetadata } from './validation-metadata-cache';

// Every validation in the process (these helpers, Nest's pipes) shares class-validator's storage.
memoizeValidationMetadata();

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Options shared by the REST pipe, the socket gateway and the web forms, so all three agree. */
export const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

export function flattenValidationErrors(errors: ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: ValidationIssue[] = error.constraints
      ? [{ field, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Turns untrusted input into a validated instance of a contract class. Non-objects are refused
 * here rather than passed to class-transformer, which would happily turn `"x"` into a class.
 */
export function validatePayload<T extends object>(
  cls: ClassConstructor<T>,
  input: unknown,
): ValidationResult<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ field: '', messages: ['payload must be an object'] }] };
  }
  const value = plainToInstance(cls, input);
  const errors = validateSync(value, VALIDATOR_OPTIONS);
  return errors.length === 0
    ? { ok: true, value }
    : { ok: false, issues: flattenValidationErrors(errors) };
}
