import { highlightParts, normalizeRanges } from './highlight';

describe('normalizeRanges', () => {
  it('clamps, sorts, merges overlapping and touching ranges and drops empty ones', () => {
    expect(
      normalizeRanges(
        [
          { start: 8, end: 12 },
          { start: 0, end: 3 },
          { start: 2, end: 5 },
          { start: 5, end: 6 },
          { start: 7, end: 7 },
          { start: 20, end: 40 },
        ],
        25,
      ),
    ).toEqual([
      { start: 0, end: 6 },
      { start: 8, end: 12 },
      { start: 20, end: 25 },
    ]);
  });
});

describe('highlightParts', () => {
  it('splits the text into plain and matched parts', () => {
    expect(
      highlightParts('Hello world, hello', [
        { start: 13, end: 18 },
        { start: 0, end: 5 },
      ]),
    ).toEqual([
      { text: 'Hello', match: true },
      { text: ' world, ', match: false },
      { text: 'hello', match: true },
    ]);
  });

  it('marks CJK substrings by UTF-16 offsets', () => {
    const text = '我们明天去东京旅行';
    expect(highlightParts(text, [{ start: 5, end: 7 }])).toEqual([
      { text: '我们明天去', match: false },
      { text: '东京', match: true },
      { text: '旅行', match: false },
    ]);
  });

  it('shows a window around the first match of a long text, with ellipses where it was cut', () => {
    const text = `${'a'.repeat(500)}needle${'b'.repeat(500)}`;
    const parts = highlightParts(text, [{ start: 500, end: 506 }], 100);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(parts.find((part) => part.match)).toEqual({ text: 'needle', match: true });
    const shown = parts
      .slice(1, -1)
      .map((part) => part.text)
      .join('');
    expect(shown).toHaveLength(100);
    expect(shown.indexOf('needle')).toBe(25);
  });

  it('never cuts an emoji in half at the edge of the window', () => {
    const text = `${'😀'.repeat(60)}x`;
    const parts = highlightParts(text, [{ start: 120, end: 121 }], 11);
    const shown = parts.map((part) => part.text).join('');
    expect(shown).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  it('ignores ranges outside the text', () => {
    expect(highlightParts('short', [{ start: 10, end: 20 }])).toEqual([
      { text: 'short', match: false },
    ]);
  });
});
