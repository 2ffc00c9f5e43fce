export * from './chat-events.dto';
export * from './events';
