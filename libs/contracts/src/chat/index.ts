export * from './chat-events.dto';
export * from './events';
export * from './message-actions.dto';
export * from './read-state.dto';
export * from './sync.dto';
export * from './typing.dto';
