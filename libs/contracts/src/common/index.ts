export * from './ack';
export * from './errors';
export * from './transforms';
export * from './validate';
