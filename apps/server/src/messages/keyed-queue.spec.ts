import { KeyedQueue } from './keyed-queue';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in call order', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run('a', async () => {
      order.push('first started');
      await gate.promise;
      order.push('first done');
    });
    const second = queue.run('a', () => {
      order.push('second');
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(order).toEqual(['first started']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first started', 'first done', 'second']);
  });

  it('runs different keys concurrently and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run('a', () => gate.promise);
    await expect(queue.run('b', () => Promise.resolve('b ran'))).resolves.toBe('b ran');
    gate.resolve();
    await blocked;
    await Promise.resolve();
    expect(queue.size).toBe(0);
  });

  it('keeps going after a failed task and hands the failure to its caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', () => Promise.resolve(2));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
  });
});
