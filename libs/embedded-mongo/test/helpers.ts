import path from 'node:path';

/** The compiled package (the `test` target depends on `build`). */
export const DIST = path.resolve(__dirname, '..', 'dist');

export function distModule<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(DIST, name)) as T;
}
