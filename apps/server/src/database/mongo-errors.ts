/** MongoDB's duplicate-key error, raised by a unique index. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/**
 * The fields of the unique index a duplicate-key error hit (`keyPattern`, which MongoDB and the
 * driver report since 4.4), so callers can tell one unique index's conflict from another's.
 */
export function duplicateKeyFields(error: unknown): string[] {
  if (!isDuplicateKeyError(error)) return [];
  const { keyPattern } = error as { keyPattern?: unknown };
  return typeof keyPattern === 'object' && keyPattern !== null ? Object.keys(keyPattern) : [];
}
