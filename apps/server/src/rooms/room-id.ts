import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const LENGTH = 10;

/** 10 characters of [0-9a-z] (~51 bits): short enough to share, too many to guess. */
export function generateRoomId(): string {
  let id = '';
  // randomInt is unbiased, unlike `byte % 36`.
  for (let index = 0; index < LENGTH; index += 1) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
