import { Binary, BSONRegExp, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { compareValues } from './compare';
import { AFTER, bracketPrefix, encodeKey, entryOf, keyOf, ridOf } from './key-string';

/** Values of every BSON type bracket, with neighbours that test each encoding's edge cases. */
const VALUES: unknown[] = [
  new MinKey(),
  null,
  NaN,
  -Infinity,
  -1e300,
  -5.5,
  -1,
  0,
  1e-300,
  1,
  1.5,
  2,
  2 ** 31,
  2 ** 53,
  Infinity,
  '',
  '\u0000',
  '\u0000a',
  '\u0001',
  'a',
  'a\u0000',
  'ab',
  'b',
  'é',
  '中文',
  {},
  { a: 1 },
  { a: 1, b: 1 },
  { a: 2 },
  { a: 'x' },
  { b: 0 },
  [],
  [1],
  [1, 2],
  [2],
  ['a'],
  new Binary(Buffer.from([]), 0),
  new Binary(Buffer.from([9]), 0),
  new Binary(Buffer.from([1]), 4),
  new Binary(Buffer.from([1, 2]), 0),
  new ObjectId('000000000000000000000000'),
  new ObjectId('00000000000000000000ffff'),
  new ObjectId('ffffffffffffffffffffffff'),
  false,
  true,
  new Date(-1),
  new Date(0),
  new Date(1_700_000_000_000),
  new Timestamp({ t: 1, i: 2 }),
  new Timestamp({ t: 1, i: 3 }),
  new Timestamp({ t: 2, i: 0 }),
  /a/,
  /a/i,
  /b/,
  new BSONRegExp('c', ''),
  new MaxKey(),
];

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

describe('key strings', () => {
  it('order every pair of values as BSON comparison does, ascending and descending', () => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        const expected = sign(compareValues(a, b));
        expect([a, b, order(encodeKey([a], [1]), encodeKey([b], [1]))]).toEqual([a, b, expected]);
        expect([a, b, order(encodeKey([a], [-1]), encodeKey([b], [-1]))]).toEqual([
          a,
          b,
          expected === 0 ? 0 : -expected,
        ]);
      }
    }
  });

  it('compare numbers by value across types, and keep large int64s exact', () => {
    expect(encodeKey([5], [1])).toBe(encodeKey([Long.fromNumber(5)], [1]));
    expect(encodeKey([5], [1])).toBe(encodeKey([Decimal128.fromString('5')], [1]));
    expect(encodeKey([-0], [1])).toBe(encodeKey([0], [1]));
    const big = Long.fromString('9007199254740993'); // 2^53 + 1: no double holds it
    const bigger = Long.fromString('9007199254740995');
    const keys = [2 ** 53, big, 2 ** 53 + 2, bigger, 2 ** 53 + 4].map((v) => encodeKey([v], [1]));
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(encodeKey([Long.fromString('18014398509481984')], [1])).toBe(encodeKey([2 ** 54], [1]));
  });

  it('order compound keys field by field, with the record id last', () => {
    const entries = [
      entryOf(encodeKey(['room1', 2], [1, -1]), 7),
      entryOf(encodeKey(['room1', 1], [1, -1]), 3),
      entryOf(encodeKey(['room1', 1], [1, -1]), 9),
      entryOf(encodeKey(['room10', 5], [1, -1]), 1),
      entryOf(encodeKey(['room2', 0], [1, -1]), 2),
    ];
    expect([...entries].sort()).toEqual(entries);
    expect(entries.map(ridOf)).toEqual([7, 3, 9, 1, 2]);
    expect(keyOf(entries[1])).toBe(encodeKey(['room1', 1], [1, -1]));
    expect(ridOf(entryOf('', 2 ** 40 + 5))).toBe(2 ** 40 + 5);
  });

  it('bound a family of keys and a type bracket with plain string comparisons', () => {
    const prefix = encodeKey(['room1'], [1]);
    const inside = entryOf(encodeKey(['room1', 42], [1, 1]), 1);
    const outside = entryOf(encodeKey(['room10', 0], [1, 1]), 1);
    expect(inside >= prefix && inside < prefix + AFTER).toBe(true);
    expect(outside >= prefix && outside < prefix + AFTER).toBe(false);
    for (const dir of [1, -1]) {
      const numbers = bracketPrefix(2, dir);
      expect(encodeKey([7], [dir]).startsWith(numbers)).toBe(true);
      expect(encodeKey([NaN], [dir]).startsWith(numbers)).toBe(true);
      expect(encodeKey(['7'], [dir]).startsWith(numbers)).toBe(false);
    }
  });

  it('are one-byte strings', () => {
    for (const value of VALUES) {
      for (const dir of [1, -1]) {
        const key = entryOf(encodeKey([value, value], [dir, -dir]), 123456);
        expect([...key].every((ch) => ch.charCodeAt(0) <= 0xff)).toBe(true);
      }
    }
  });
});
