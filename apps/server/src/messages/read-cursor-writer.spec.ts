import type { CursorAdvance } from '../rooms/read-cursors.service';
import { ReadCursorWriter } from './read-cursor-writer';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ReadCursorWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes nothing at once, then one batch per interval with the highest seq per room and user', async () => {
    const write = jest.fn<Promise<void>, [CursorAdvance[]]>(() => Promise.resolve());
    const writer = new ReadCursorWriter(write, () => undefined, 250);

    writer.record({ room: 'a', userId: 'ann', seq: 1 });
    writer.record({ room: 'a', userId: 'ann', seq: 3 });
    writer.record({ room: 'a', userId: 'ann', seq: 2 });
    writer.record({ room: 'a', userId: 'bob', seq: 2 });
    writer.record({ room: 'b', userId: 'ann', seq: 7 });
    expect(write).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(249);
    expect(write).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(write.mock.calls).toEqual([
      [
        [
          { room: 'a', userId: 'ann', seq: 3 },
          { room: 'a', userId: 'bob', seq: 2 },
          { room: 'b', userId: 'ann', seq: 7 },
        ],
      ],
    ]);

    // Nothing pending: no timer, no empty batch.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(write).toHaveBeenCalledTimes(1);

    writer.record({ room: 'a', userId: 'ann', seq: 4 });
    await jest.advanceTimersByTimeAsync(250);
    expect(write).toHaveBeenLastCalledWith([{ room: 'a', userId: 'ann', seq: 4 }]);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('flushes what is pending at once and waits for batches already being written (shutdown)', async () => {
    const slow = deferred();
    const write = jest
      .fn<Promise<void>, [CursorAdvance[]]>()
      .mockReturnValueOnce(slow.promise)
      .mockResolvedValue(undefined);
    const writer = new ReadCursorWriter(write, () => undefined, 250);

    writer.record({ room: 'a', userId: 'ann', seq: 1 });
    await jest.advanceTimersByTimeAsync(250);
    writer.record({ room: 'a', userId: 'ann', seq: 2 });

    let flushed = false;
    const flushing = writer.flush().then(() => (flushed = true));
    expect(write).toHaveBeenLastCalledWith([{ room: 'a', userId: 'ann', seq: 2 }]);
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);

    slow.resolve();
    await flushing;
    expect(flushed).toBe(true);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('reports a failed batch without rejecting, and keeps going', async () => {
    const failures: (readonly CursorAdvance[])[] = [];
    const write = jest
      .fn<Promise<void>, [CursorAdvance[]]>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const writer = new ReadCursorWriter(write, (_error, batch) => failures.push(batch), 250);

    writer.record({ room: 'a', userId: 'ann', seq: 1 });
    await jest.advanceTimersByTimeAsync(250);
    writer.record({ room: 'a', userId: 'ann', seq: 2 });
    await expect(writer.flush()).resolves.toBeUndefined();

    expect(failures).toEqual([[{ room: 'a', userId: 'ann', seq: 1 }]]);
    expect(write).toHaveBeenCalledTimes(2);
  });
});
