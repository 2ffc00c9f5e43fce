import { Binary, Long, ObjectId, UUID } from 'bson';
import { compareValues } from '../indexes/compare';
import { compileFilter } from './engine';

describe('mingo configuration for BSON values', () => {
  const id = new ObjectId();
  const doc = {
    _id: id,
    at: new Date(1_000),
    bin: new Binary(Buffer.from([1, 2, 3]), 0),
    uuid: new UUID('0e0b1a4e-6f58-4a8e-9a53-5b8c8a9b0f11'),
    big: Long.fromString('9007199254740993'),
    n: 5,
  };

  it('matches ObjectId by value, not identity', () => {
    expect(compileFilter({ _id: new ObjectId(id.toHexString()) })(doc)).toBe(true);
    expect(
      compileFilter({ _id: { $in: [new ObjectId(), new ObjectId(id.toHexString())] } })(doc),
    ).toBe(true);
    expect(compileFilter({ _id: new ObjectId() })(doc)).toBe(false);
    expect(compileFilter({ _id: { $ne: new ObjectId(id.toHexString()) } })(doc)).toBe(false);
  });

  it('compares dates, binaries and UUIDs', () => {
    expect(compileFilter({ at: { $gte: new Date(1_000), $lt: new Date(2_000) } })(doc)).toBe(true);
    expect(compileFilter({ at: { $gt: new Date(1_000) } })(doc)).toBe(false);
    expect(compileFilter({ bin: new Binary(Buffer.from([1, 2, 3]), 0) })(doc)).toBe(true);
    expect(compileFilter({ bin: new Binary(Buffer.from([1, 2, 4]), 0) })(doc)).toBe(false);
    expect(compileFilter({ uuid: new UUID('0e0b1a4e-6f58-4a8e-9a53-5b8c8a9b0f11') })(doc)).toBe(
      true,
    );
  });

  it('throws MongoDB errors for unknown operators instead of ignoring them', () => {
    const codeOf = (f: () => unknown): number | undefined => {
      try {
        f();
      } catch (e) {
        return (e as { code?: number }).code;
      }
      return undefined;
    };
    expect(codeOf(() => compileFilter({ n: { $frob: 1 } }))).toBe(2);
    expect(codeOf(() => compileFilter({ $frob: 1 }))).toBe(2);
    expect(() => compileFilter({ $where: 'true' })).toThrow();
  });

  it('orders values across BSON types like MongoDB', () => {
    const ordered = [
      null,
      -1,
      2.5,
      'a',
      { a: 1 },
      [1],
      new Binary(Buffer.from([0])),
      new ObjectId(),
      false,
      true,
      new Date(0),
      /x/,
    ];
    for (let i = 1; i < ordered.length; i++)
      expect(compareValues(ordered[i - 1], ordered[i])).toBeLessThan(0);
    expect(compareValues(Long.fromNumber(3), 3)).toBe(0);
    expect(compareValues(doc.big, Long.fromString('9007199254740992'))).toBe(1);
  });
});
