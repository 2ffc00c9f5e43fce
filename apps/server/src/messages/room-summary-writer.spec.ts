import { RoomSummaryWriter } from './room-summary-writer';

interface TestSummary {
  seq: number;
  excerpt: string;
}

function summary(seq: number): TestSummary {
  return { seq, excerpt: `message ${seq}` };
}

describe('RoomSummaryWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a quiet room at once, then folds a burst into one write (of the newest) per interval', async () => {
    const write = jest.fn<Promise<void>, [string, TestSummary]>(() => Promise.resolve());
    const writer = new RoomSummaryWriter(write, () => undefined, 1_000);

    await writer.record('a', summary(1));
    expect(write.mock.calls).toEqual([['a', summary(1)]]);

    await writer.record('a', summary(3));
    await writer.record('a', summary(2));
    await writer.record('b', summary(7));
    expect(write.mock.calls).toEqual([
      ['a', summary(1)],
      ['b', summary(7)],
    ]);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(write).toHaveBeenLastCalledWith('a', summary(3));
    expect(write).toHaveBeenCalledTimes(3);

    await writer.record('a', summary(4));
    await writer.flush();
    expect(write).toHaveBeenLastCalledWith('a', summary(4));
    expect(write).toHaveBeenCalledTimes(4);
  });

  it('reports a failed write without rejecting, and keeps going', async () => {
    const errors: string[] = [];
    const write = jest
      .fn<Promise<void>, [string, TestSummary]>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const writer = new RoomSummaryWriter(write, (room) => errors.push(room), 1_000);

    await expect(writer.record('a', summary(1))).resolves.toBeUndefined();
    await writer.record('a', summary(2));
    await writer.flush();

    expect(errors).toEqual(['a']);
    expect(write).toHaveBeenCalledTimes(2);
  });
});
