import { firstUnreadSeq, unreadBelow } from './new-messages-divider';

const theirs = (seq: number) => ({ seq, own: false });
const mine = (seq: number) => ({ seq, own: true });
const sending = { own: true };

describe('firstUnreadSeq', () => {
  it('is the first message of someone else after the cursor the room opened with', () => {
    expect(firstUnreadSeq([theirs(4), theirs(5), theirs(6), theirs(7)], 5)).toBe(6);
  });

  it('skips my own messages (they are read by being sent)', () => {
    expect(firstUnreadSeq([theirs(5), mine(6), theirs(7), mine(8)], 5)).toBe(7);
    expect(firstUnreadSeq([theirs(5), mine(6), sending], 5)).toBeUndefined();
  });

  it('is undefined when everything is read', () => {
    expect(firstUnreadSeq([theirs(4), theirs(5)], 5)).toBeUndefined();
    expect(firstUnreadSeq([], 0)).toBeUndefined();
  });
});

describe('unreadBelow', () => {
  it('counts others’ messages after what was seen', () => {
    expect(unreadBelow([theirs(4), theirs(5), mine(6), theirs(7), sending], 4)).toBe(2);
    expect(unreadBelow([theirs(4), theirs(5)], 5)).toBe(0);
  });
});
