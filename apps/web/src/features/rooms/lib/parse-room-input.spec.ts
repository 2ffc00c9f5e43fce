import { parseRoomInput, roomLink } from './parse-room-input';

describe('parseRoomInput', () => {
  it.each([
    ['abc123defg', 'abc123defg'],
    ['  abc123defg  ', 'abc123defg'],
    ['ABC123DEFG', 'abc123defg'],
    ['https://parley.example/rooms/abc123defg', 'abc123defg'],
    ['http://localhost:4200/rooms/abc123defg?x=1', 'abc123defg'],
    ['/rooms/abc123defg/', 'abc123defg'],
  ])('reads %p', (input, id) => {
    expect(parseRoomInput(input)).toBe(id);
  });

  it.each(['', 'short', 'abc123defgh', 'https://parley.example/rooms/', 'abc-23defg'])(
    'refuses %p',
    (input) => {
      expect(parseRoomInput(input)).toBeNull();
    },
  );
});

describe('roomLink', () => {
  it('builds the deep link', () => {
    expect(roomLink('abc123defg', 'https://parley.example')).toBe(
      'https://parley.example/rooms/abc123defg',
    );
  });
});
