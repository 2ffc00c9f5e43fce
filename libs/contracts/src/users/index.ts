export * from './user.dto';
export * from './presence.dto';
