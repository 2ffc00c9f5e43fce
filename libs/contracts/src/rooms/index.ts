export * from './room.dto';
