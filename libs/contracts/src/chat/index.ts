export * from './chat-events.dto';
export * from './events';
export * from './sync.dto';
export * from './typing.dto';
