import { RoomSummaryWriter } from './room-summary-writer';

interface TestSummary {
  seq: number;
  excerpt: string;
}

function summary(seq: number): TestSummary {
  return { seq, excerpt: `message ${seq}` };
}

/** Each write as the list of [room, seq] it carried. */
function writes(write: jest.Mock<Promise<void>, [ReadonlyMap<string, TestSummary>]>) {
  return write.mock.calls.map(([batch]) =>
    [...batch].map(([room, written]) => [room, written.seq] as const),
  );
}

describe('RoomSummaryWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a quiet room at once, then folds a burst into one write (of the newest) per interval', async () => {
    const write = jest.fn<Promise<void>, [ReadonlyMap<string, TestSummary>]>(() =>
      Promise.resolve(),
    );
    const writer = new RoomSummaryWriter(write, () => undefined, 1_000);

    await writer.record('a', summary(1));
    expect(writes(write)).toEqual([[['a', 1]]]);

    await writer.record('a', summary(3));
    await writer.record('a', summary(2));
    await writer.record('b', summary(7));
    expect(writes(write)).toEqual([[['a', 1]], [['b', 7]]]);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(writes(write).at(-1)).toEqual([['a', 3]]);
    expect(write).toHaveBeenCalledTimes(3);

    await writer.record('a', summary(4));
    await writer.flush();
    expect(writes(write).at(-1)).toEqual([['a', 4]]);
    expect(write).toHaveBeenCalledTimes(4);
  });

  it('writes every room due at the end of an interval in one batch', async () => {
    const write = jest.fn<Promise<void>, [ReadonlyMap<string, TestSummary>]>(() =>
      Promise.resolve(),
    );
    const writer = new RoomSummaryWriter(write, () => undefined, 1_000);
    await writer.record('a', summary(1));
    await writer.record('b', summary(1));
    await writer.record('a', summary(2));
    await writer.record('b', summary(2));
    await writer.record('b', summary(3));

    await jest.advanceTimersByTimeAsync(1_000);

    expect(writes(write)).toEqual([
      [['a', 1]],
      [['b', 1]],
      [
        ['a', 2],
        ['b', 3],
      ],
    ]);
  });

  it('reports a failed write with its rooms without rejecting, and keeps going', async () => {
    const errors: string[][] = [];
    const write = jest
      .fn<Promise<void>, [ReadonlyMap<string, TestSummary>]>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const writer = new RoomSummaryWriter(write, (rooms) => errors.push(rooms), 1_000);

    await expect(writer.record('a', summary(1))).resolves.toBeUndefined();
    await writer.record('a', summary(2));
    await writer.flush();

    expect(errors).toEqual([['a']]);
    expect(write).toHaveBeenCalledTimes(2);
  });
});
