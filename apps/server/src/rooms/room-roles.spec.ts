import { isModerator, outranks } from './room-roles';

describe('room roles', () => {
  it('ranks owner > moderator > member', () => {
    expect(outranks('owner', 'moderator')).toBe(true);
    expect(outranks('moderator', 'member')).toBe(true);
    expect(outranks('moderator', 'moderator')).toBe(false);
    expect(outranks('owner', 'owner')).toBe(false);
    expect(outranks('member', 'member')).toBe(false);
    expect([isModerator('owner'), isModerator('moderator'), isModerator('member')]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
