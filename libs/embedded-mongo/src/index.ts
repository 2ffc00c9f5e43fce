export { EmbeddedMongo, type EmbeddedMongoHandle, type EmbeddedMongoOptions } from './embedded';
export { startServer, type RunningServer, type ServerOptions } from './server';
export { MongoCommandError, ErrorCodes } from './errors';
export { LockError } from './storage/lock';
