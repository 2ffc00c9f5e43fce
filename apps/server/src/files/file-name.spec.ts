import {
  contentDisposition,
  FALLBACK_FILE_NAME,
  FILE_NAME_MAX_LENGTH,
  sanitizeFileName,
} from './file-name';

describe('sanitizeFileName', () => {
  it('keeps only the last path component, whichever separator is used', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('..\\..\\x')).toBe('x');
    expect(sanitizeFileName('C:\\Users\\ann\\photo.png')).toBe('photo.png');
    expect(sanitizeFileName('/')).toBe(FALLBACK_FILE_NAME);
    expect(sanitizeFileName('a/..')).toBe(FALLBACK_FILE_NAME);
  });

  it('removes control and bidi characters', () => {
    expect(sanitizeFileName('re\u0000port\r\n.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('invoice\u202egnp.exe')).toBe('invoicegnp.exe');
    expect(sanitizeFileName('\u0007\u0000')).toBe(FALLBACK_FILE_NAME);
  });

  it('keeps other Unicode and caps the length without splitting a surrogate pair', () => {
    expect(sanitizeFileName('写真 🎉.png')).toBe('写真 🎉.png');
    const capped = sanitizeFileName('😀'.repeat(200));
    expect(capped.length).toBe(FILE_NAME_MAX_LENGTH - 1);
    expect(capped.endsWith('😀')).toBe(true);
    expect(sanitizeFileName(undefined)).toBe(FALLBACK_FILE_NAME);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact name in filename*', () => {
    expect(contentDisposition('attachment', 'résumé "final" (1).pdf')).toBe(
      `attachment; filename="r_sum_ _final_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%281%29.pdf`,
    );
    expect(contentDisposition('inline', "it's*.png")).toBe(
      `inline; filename="it's*.png"; filename*=UTF-8''it%27s%2A.png`,
    );
  });
});
