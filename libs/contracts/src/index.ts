export * from './auth';
export * from './chat';
export * from './common';
export * from './health';
export * from './messages';
export * from './rooms';
export * from './users';
