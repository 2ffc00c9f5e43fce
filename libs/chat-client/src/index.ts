export * from './backoff';
export * from './outbox';
export * from './room-sync';
