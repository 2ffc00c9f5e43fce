export * from './message.dto';
export * from './mentions';
export * from './file.dto';
export * from './search.dto';
