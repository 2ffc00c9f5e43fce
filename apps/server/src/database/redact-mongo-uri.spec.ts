import { databaseNameFromUri, redactMongoUri } from './redact-mongo-uri';

describe('redactMongoUri', () => {
  it.each([
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/'],
    ['mongodb://ann:s3cret@db:27017/chat', 'mongodb://db:27017/chat'],
    [
      'mongodb+srv://ann:p%40ss@cluster0.example.net/chat?retryWrites=true&w=majority',
      'mongodb+srv://cluster0.example.net/chat',
    ],
    [
      'mongodb://a:b@h1:1,h2:2/db?authMechanismProperties=AWS_SESSION_TOKEN:xyz',
      'mongodb://h1:1,h2:2/db',
    ],
  ])('%s → %s', (uri, expected) => {
    expect(redactMongoUri(uri)).toBe(expected);
  });
});

describe('databaseNameFromUri', () => {
  it.each([
    ['mongodb://db:27017/chat', 'chat'],
    ['mongodb://u:p@h1,h2/chat?replicaSet=rs', 'chat'],
    ['mongodb://db:27017/', undefined],
    ['mongodb://db:27017', undefined],
    ['mongodb://db:27017/?w=1', undefined],
  ])('%s → %s', (uri, expected) => {
    expect(databaseNameFromUri(uri)).toBe(expected);
  });
});
