import { loadEmojiDataset, searchShortcodes, shortcodeIndex } from './emoji-data';

describe('emoji shortcodes (emojibase-data, GitHub names)', () => {
  it('finds names starting with the query first, then names with a word starting with it', async () => {
    const index = shortcodeIndex(await loadEmojiDataset());
    const smi = searchShortcodes(index, 'smi', 8);
    expect(smi.length).toBeGreaterThan(1);
    expect(smi.every((entry) => entry.shortcode.startsWith('smi'))).toBe(true);
    expect(smi.map((entry) => entry.shortcode)).toContain('smile');

    const heart = searchShortcodes(index, 'heart', 50).map((entry) => entry.shortcode);
    expect(heart[0]).toBe('heart');
    expect(heart).toContain('broken_heart');
    expect(heart.indexOf('broken_heart')).toBeGreaterThan(heart.indexOf('heart_eyes'));
  });

  it('answers Unicode emoji (with their presentation selector), each once, at most max', async () => {
    const index = shortcodeIndex(await loadEmojiDataset());
    const [thumbsUp] = searchShortcodes(index, '+1', 1);
    expect(thumbsUp.shortcode).toBe('+1');
    // Emojibase's needless U+FE0F after an emoji-by-default character is dropped.
    expect(thumbsUp.emoji).toBe('👍');
    expect(searchShortcodes(index, 'heart', 3)).toHaveLength(3);
    const hearts = searchShortcodes(index, 'heart', 100).map((entry) => entry.emoji);
    expect(new Set(hearts).size).toBe(hearts.length);
    expect(hearts).toContain('❤️');
    expect(searchShortcodes(index, '', 8)).toEqual([]);
  });
});
