export * from './message.dto';
