import { type Document } from 'bson';

/** MongoDB server error codes used by this server (values from MongoDB's error_codes.yml). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  NotImplemented: 238,
  CannotIndexParallelArrays: 171,
  InvalidPipelineOperator: 168,
  ConflictingUpdateOperators: 40,
  NoSuchTransaction: 251,
  OperationNotSupportedInTransaction: 263,
  UnrecognizedPipelineStage: 40324,
  UnknownGroupOperator: 15952,
  Location40414: 40414,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Unauthorized: 13,
  ProtocolError: 17,
  InvalidLength: 342,
  EmptyFieldName: 56,
  InvalidIndexSpecificationOption: 197,
} as const;

const codeNames: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  4: 'NoSuchKey',
  9: 'FailedToParse',
  13: 'Unauthorized',
  14: 'TypeMismatch',
  17: 'ProtocolError',
  20: 'IllegalOperation',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  28: 'PathNotViable',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  52: 'DollarPrefixedFieldName',
  53: 'InvalidIdField',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  68: 'IndexAlreadyExists',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  115: 'CommandNotSupported',
  168: 'InvalidPipelineOperator',
  171: 'CannotIndexParallelArrays',
  238: 'NotImplemented',
  251: 'NoSuchTransaction',
  263: 'OperationNotSupportedInTransaction',
  342: 'InvalidLength',
  56: 'EmptyFieldName',
  197: 'InvalidIndexSpecificationOption',
  10334: 'BSONObjectTooLarge',
  11000: 'DuplicateKey',
};

export function codeName(code: number): string {
  return codeNames[code] ?? `Location${code}`;
}

/** An error that is reported to the client as `{ok: 0, code, codeName, errmsg}` (plus extra fields). */
export class MongoCommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'MongoCommandError';
  }

  toResponse(): Document {
    return {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: codeName(this.code),
      ...this.extra,
    };
  }

  /** Shape used inside `writeErrors` of write commands. */
  toWriteError(index: number): Document {
    return {
      index,
      code: this.code,
      codeName: codeName(this.code),
      errmsg: this.message,
      ...this.extra,
    };
  }
}

export function mongoError(code: number, message: string, extra?: Document): MongoCommandError {
  return new MongoCommandError(code, message, extra);
}

/**
 * Turns an arbitrary thrown value (mingo throws plain Errors) into a MongoDB-style error, picking the
 * code MongoDB itself uses for the same mistake so clients can branch on it.
 */
export function toMongoError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const lower = message.toLowerCase();
  let m: RegExpMatchArray | null;
  if ((m = /unknown top level operator:?\s*(\$\w+)/i.exec(message))) {
    return mongoError(ErrorCodes.BadValue, `unknown top level operator: ${m[1]}`);
  }
  if ((m = /unknown query operator:?\s*'?(\$\w+)/i.exec(message))) {
    return mongoError(ErrorCodes.BadValue, `unknown operator: ${m[1]}`);
  }
  if ((m = /unregistered pipeline operator\s*'?(\$\w+)/i.exec(message))) {
    return mongoError(
      ErrorCodes.UnrecognizedPipelineStage,
      `Unrecognized pipeline stage name: '${m[1]}'`,
    );
  }
  if ((m = /unknown update operator:?\s*'?(\$\w+)/i.exec(message))) {
    return mongoError(
      ErrorCodes.FailedToParse,
      `Unknown modifier: ${m[1]}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  if (
    (m = /unknown (?:expression )?operator:?\s*'?(\$\w+)/i.exec(message)) ||
    (m = /unrecognized expression '?(\$\w+)/i.exec(message))
  ) {
    return mongoError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${m[1]}'`);
  }
  if ((m = /(?:accumulator|operator|expression) '(\$\w+)' is not registered/i.exec(message))) {
    return mongoError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${m[1]}'`);
  }
  if ((m = /unknown (?:accumulator|group) operator:?\s*'?(\$\w+)/i.exec(message))) {
    return mongoError(ErrorCodes.UnknownGroupOperator, `unknown group operator '${m[1]}'`);
  }
  if (lower.includes('immutable field')) return mongoError(ErrorCodes.ImmutableField, message);
  if (
    lower.includes('non-numeric') ||
    lower.includes('must be a number') ||
    lower.includes('type mismatch')
  ) {
    return mongoError(ErrorCodes.TypeMismatch, message);
  }
  return mongoError(ErrorCodes.BadValue, message);
}
