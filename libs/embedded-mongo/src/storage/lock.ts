import fs from 'node:fs';

export class LockError extends Error {
  override name = 'LockError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `path` as an exclusive lock holding our pid. A lock left by a dead process is taken over;
 * a live holder (including this very process, e.g. a second server in another worker) is an error,
 * because two writers appending to one journal would corrupt it.
 */
export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(path, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(path, 'utf8').trim() === String(process.pid)) fs.unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(fs.readFileSync(path, 'utf8').trim(), 10);
    } catch {
      continue;
    }
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new LockError(
        `database directory is locked by running process ${holder} (${path}); only one server may open a dbPath at a time`,
      );
    }
    try {
      fs.unlinkSync(path);
    } catch {
      // Another process removed the stale lock first; retry the exclusive create.
    }
  }
  throw new LockError(`could not acquire lock ${path}`);
}
