import type { CompactEmoji, MessagesDataset, ShortcodesDataset } from 'emojibase';

/**
 * Emojibase's English dataset (emojibase-data), bundled rather than fetched from a CDN: the app's
 * Content-Security-Policy allows its own origin only, and it works offline. Imported lazily, so
 * the JSON (≈560 kB, ≈70 kB compressed) becomes its own chunk, loaded the first time the picker
 * opens or a `:shortcode:` is typed.
 */
export interface EmojiDataset {
  emojis: CompactEmoji[];
  messages: MessagesDataset;
  /** GitHub/Slack-style names: `:smile:`, `:+1:`, `:tada:`. */
  shortcodes: ShortcodesDataset;
}

let loading: Promise<EmojiDataset> | undefined;

export function loadEmojiDataset(): Promise<EmojiDataset> {
  loading ??= Promise.all([
    import('emojibase-data/en/compact.json'),
    import('emojibase-data/en/messages.json'),
    import('emojibase-data/en/shortcodes/github.json'),
  ]).then(
    ([emojis, messages, shortcodes]) => ({
      emojis: emojis.default,
      messages: messages.default,
      shortcodes: shortcodes.default,
    }),
    (error: unknown) => {
      // A failed chunk load (offline) may work next time.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * One spelling per emoji: Emojibase adds U+FE0F even after characters that are emoji by default
 * (`👍️`), which would make `👍` and `👍️` two different reactions. The selector stays where it
 * matters (`❤️`).
 */
export function normalizeEmoji(emoji: string): string {
  return emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}

export interface ShortcodeEmoji {
  /** Without colons, e.g. `smile`. */
  shortcode: string;
  /** The Unicode emoji to insert. */
  emoji: string;
  label: string;
}

/** Every shortcode with its emoji, in Emojibase's order (most used groups first). */
export function shortcodeIndex(dataset: EmojiDataset): ShortcodeEmoji[] {
  const index: ShortcodeEmoji[] = [];
  const ordered = [...dataset.emojis].sort(
    (a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER),
  );
  for (const emoji of ordered) {
    const codes = dataset.shortcodes[emoji.hexcode];
    for (const shortcode of typeof codes === 'string' ? [codes] : (codes ?? [])) {
      index.push({ shortcode, emoji: normalizeEmoji(emoji.unicode), label: emoji.label });
    }
  }
  return index;
}

/**
 * Shortcodes for a typed query (without the colon): the exact name, then those starting with it,
 * then those with a word starting with it (`:heart` finds `heart_eyes` and `broken_heart`), at most `max`.
 */
export function searchShortcodes(
  index: readonly ShortcodeEmoji[],
  query: string,
  max: number,
): ShortcodeEmoji[] {
  const lowered = query.toLowerCase();
  if (!lowered) return [];
  const found: ShortcodeEmoji[] = [];
  const seen = new Set<string>();
  const take = (matches: (shortcode: string) => boolean) => {
    for (const entry of index) {
      if (found.length === max) return;
      if (seen.has(entry.emoji) || !matches(entry.shortcode)) continue;
      seen.add(entry.emoji);
      found.push(entry);
    }
  };
  take((shortcode) => shortcode === lowered);
  take((shortcode) => shortcode.startsWith(lowered));
  take((shortcode) => shortcode.split(/[_-]/).some((word) => word.startsWith(lowered)));
  return found;
}
