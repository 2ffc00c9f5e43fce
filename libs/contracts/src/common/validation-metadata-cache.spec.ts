import {
  getMetadataStorage,
  IsInt,
  IsString,
  MaxLength,
  MetadataStorage,
  validateSync,
} from 'class-validator';
import { validatePayload } from './validate';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt()
  count!: number;

  @MaxLength(3, { groups: ['short'] })
  code!: string;
}

describe('memoizeValidationMetadata (applied by importing validate.ts)', () => {
  it('answers what the library answers, per class, inheritance and groups included', () => {
    const storage = getMetadataStorage();
    const unmemoized = MetadataStorage.prototype.getTargetValidationMetadatas;
    for (const target of [Base, Child]) {
      for (const groups of [undefined, ['short']]) {
        const expected = unmemoized.call(storage, target, '', false, false, groups);
        const first = storage.getTargetValidationMetadatas(target, '', false, false, groups);
        const second = storage.getTargetValidationMetadatas(target, '', false, false, groups);
        expect(first).toEqual(expected);
        expect(second).toEqual(expected);
        // A copy each time: a caller changing its array cannot change the next caller's.
        expect(second).not.toBe(first);
      }
    }
  });

  it('forgets its answers when a rule is registered after a validation', () => {
    class Late {
      @IsString()
      label!: string;

      extra!: unknown;
    }
    // `extra` has no rule yet, so the whitelist refuses it (and the memo now holds that answer).
    expect(validatePayload(Late, { label: 'a', extra: 'five' }).ok).toBe(false);
    IsString()(Late.prototype, 'extra');
    expect(validatePayload(Late, { label: 'a', extra: 'five' }).ok).toBe(true);
    expect(validatePayload(Late, { label: 'a', extra: 5 }).ok).toBe(false);
  });

  it('validates with and without groups as before', () => {
    const child = Object.assign(new Child(), { name: 'n', count: 1.5, code: 'long' });
    const fields = (groups?: string[]) =>
      validateSync(child, groups ? { groups } : {}).map((error) => error.property);
    expect(fields()).toEqual(['count', 'code']);
    expect(fields(['short'])).toEqual(['code']);
    expect(fields()).toEqual(['count', 'code']);
  });

  it('wraps a storage once however often it is applied', () => {
    const storage = new MetadataStorage();
    memoizeValidationMetadata(storage);
    const memo = storage.getTargetValidationMetadatas;
    memoizeValidationMetadata(storage);
    expect(storage.getTargetValidationMetadatas).toBe(memo);
  });
});
