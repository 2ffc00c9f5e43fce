import { roomChannel, roomIdOfChannel, userChannel } from './channels';

describe('channels', () => {
  it('keeps room and user channels apart and reversible', () => {
    expect(roomChannel('k3v9x0q2mz')).not.toBe(userChannel('k3v9x0q2mz'));
    expect(roomIdOfChannel(roomChannel('k3v9x0q2mz'))).toBe('k3v9x0q2mz');
    expect(roomIdOfChannel(userChannel('665f1c2b1e8a474d7e9a650c'))).toBeUndefined();
    expect(roomIdOfChannel('some-socket-id')).toBeUndefined();
  });
});
