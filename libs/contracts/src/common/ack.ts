import type { ApiError } from './errors';

/** The envelope every socket acknowledgement uses. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export type AckCallback<T> = (response: Ack<T>) => void;
