import { jumpLocationState, jumpTargetIn } from './jump-state';

describe('jump location state', () => {
  it('reads the seq back for its own room only', () => {
    const state = jumpLocationState('aaaaaaaaaa', 42);
    expect(jumpTargetIn(state, 'aaaaaaaaaa')).toBe(42);
    expect(jumpTargetIn(state, 'bbbbbbbbbb')).toBeUndefined();
  });

  it('ignores anything else a history entry may hold', () => {
    for (const state of [
      null,
      undefined,
      'x',
      {},
      { jumpTo: null },
      { jumpTo: { room: 'aaaaaaaaaa', seq: '3' } },
      { jumpTo: { room: 'aaaaaaaaaa', seq: 0 } },
    ]) {
      expect(jumpTargetIn(state, 'aaaaaaaaaa')).toBeUndefined();
    }
  });
});
