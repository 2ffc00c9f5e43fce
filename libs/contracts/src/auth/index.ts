export * from './auth.dto';
export * from './common-passwords';
