/** Longest display name kept, in UTF-16 units (the contract's `@Length(1, 255)` bound). */
export const FILE_NAME_MAX_LENGTH = 255;
/** Shown when nothing of the uploader's name survives sanitising. */
export const FALLBACK_FILE_NAME = 'file';

// C0/C1 controls (NUL, newlines, escape…), and the bidirectional overrides and isolates that make
// `txt.exe` display as `exe.txt`.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The uploader's file name as it may be displayed: the last path component only (`/` and `\`
 * both count, so `../../etc/passwd` and `..\..\x` lose their directories), control and bidi
 * characters removed, at most 255 UTF-16 units without splitting a surrogate pair. It is never
 * used to store or locate the file.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const lastComponent = (raw ?? '').split(/[/\\]/).at(-1) ?? '';
  const cleaned = lastComponent.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return FALLBACK_FILE_NAME;
  let capped = '';
  for (const character of cleaned) {
    if (capped.length + character.length > FILE_NAME_MAX_LENGTH) break;
    capped += character;
  }
  return capped;
}

/**
 * `Content-Disposition` for a download (RFC 6266): an ASCII `filename` for old clients and the
 * exact name as RFC 8187 `filename*`. The name is already sanitised, so no quote or control
 * character can end the header early; `"` and `\` are replaced in the ASCII form regardless.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

function encodeRfc8187(value: string): string {
  // encodeURIComponent leaves !'()* alone; RFC 8187's attr-char does not allow ' ( ) *.
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
