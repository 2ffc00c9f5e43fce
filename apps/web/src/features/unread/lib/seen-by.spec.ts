import { seenBy, seenLabel, type Reader } from './seen-by';

const ME = 'me';
const reader = (userId: string, readSeq: number | null): Reader => ({
  userId,
  displayName: userId.charAt(0).toUpperCase() + userId.slice(1),
  readSeq,
});

describe('seenBy', () => {
  it('goes under my newest message the other person has read', () => {
    expect(seenBy([2, 5, 9], [reader(ME, 9), reader('ann', 7)], ME)).toEqual({
      seq: 5,
      names: ['Ann'],
    });
  });

  it('names everyone who read that far', () => {
    const readers = [reader('ann', 9), reader('ben', 12), reader('cid', 4), reader(ME, 12)];
    expect(seenBy([3, 9], readers, ME)).toEqual({ seq: 9, names: ['Ann', 'Ben'] });
  });

  it('is nothing when no one shares read state, or no message of mine was read', () => {
    expect(seenBy([3], [reader('ann', null), reader(ME, 3)], ME)).toBeUndefined();
    expect(seenBy([8], [reader('ann', 7)], ME)).toBeUndefined();
    expect(seenBy([], [reader('ann', 7)], ME)).toBeUndefined();
  });
});

describe('seenLabel', () => {
  it('says "Seen" in a direct room and names readers elsewhere', () => {
    expect(seenLabel({ seq: 1, names: ['Ann'] }, true)).toBe('Seen');
    expect(seenLabel({ seq: 1, names: ['Ann', 'Ben'] }, false)).toBe('Seen by Ann, Ben');
    expect(seenLabel({ seq: 1, names: ['Ann', 'Ben', 'Cid', 'Dee'] }, false)).toBe(
      'Seen by Ann, Ben, Cid and 1 other',
    );
    expect(seenLabel({ seq: 1, names: ['Ann', 'Ben', 'Cid', 'Dee', 'Eve'] }, false)).toBe(
      'Seen by Ann, Ben, Cid and 2 others',
    );
  });
});
