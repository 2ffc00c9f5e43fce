export * from './message.dto';
export * from './mentions';
