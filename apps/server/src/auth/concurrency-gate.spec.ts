import { ConcurrencyGate, GateFullError } from './concurrency-gate';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once, queues the rest in order, refuses beyond the queue', async () => {
    const gate = new ConcurrencyGate(2, 1);
    const releases = [deferred(), deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const started: number[] = [];
    const task = (index: number) => async () => {
      started.push(index);
      active += 1;
      maxActive = Math.max(maxActive, active);
      await releases[index]?.promise;
      active -= 1;
      return index;
    };

    const runs = [gate.run(task(0)), gate.run(task(1)), gate.run(task(2))];
    await expect(gate.run(task(3))).rejects.toBeInstanceOf(GateFullError);
    expect(started).toEqual([0, 1]);
    expect(gate.pending).toBe(1);

    releases[0]?.resolve();
    await expect(runs[0]).resolves.toBe(0);
    releases[1]?.resolve();
    releases[2]?.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2]);
    expect(maxActive).toBe(2);
  });

  it('frees the slot when a task fails', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
