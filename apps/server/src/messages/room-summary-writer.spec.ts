import { RoomSummaryWriter } from './room-summary-writer';

describe('RoomSummaryWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a quiet room at once, then folds a burst into one write per interval', async () => {
    const write = jest.fn(() => Promise.resolve());
    const writer = new RoomSummaryWriter(write, () => undefined, 1_000);
    const at = new Date(0);
    await writer.record('a', 1, at);
    expect(write.mock.calls).toEqual([['a', 1, at]]);
    await writer.record('a', 3, at);
    await writer.record('a', 2, at);
    await writer.record('b', 7, at);
    expect(write.mock.calls).toEqual([
      ['a', 1, at],
      ['b', 7, at],
    ]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(write).toHaveBeenLastCalledWith('a', 3, at);
    expect(write).toHaveBeenCalledTimes(3);
    await writer.record('a', 4, at);
    await writer.flush();
    expect(write).toHaveBeenLastCalledWith('a', 4, at);
    expect(write).toHaveBeenCalledTimes(4);
  });

  it('reports a failed write without rejecting, and keeps going', async () => {
    const errors: string[] = [];
    const write = jest
      .fn<Promise<void>, [string, number, Date]>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const writer = new RoomSummaryWriter(write, (room) => errors.push(room), 1_000);
    await expect(writer.record('a', 1, new Date(0))).resolves.toBeUndefined();
    await writer.record('a', 2, new Date(0));
    await writer.flush();
    expect(errors).toEqual(['a']);
    expect(write).toHaveBeenCalledTimes(2);
  });
});
