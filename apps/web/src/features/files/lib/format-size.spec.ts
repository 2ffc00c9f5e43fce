import { formatSize } from './format-size';

describe('formatSize', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [200 * 1024, '200 KB'],
    [25 * 1024 * 1024, '25 MB'],
    [3.25 * 1024 ** 3, '3.3 GB'],
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
