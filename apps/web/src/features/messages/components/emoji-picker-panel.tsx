import { EmojiPicker, type EmojiData, type EmojiDataResolver } from 'frimousse';
import type { CompactEmoji } from 'emojibase';
import { loadEmojiDataset, normalizeEmoji, type EmojiDataset } from '../lib/emoji-data';

/** Emojibase's "component" group: skin tones and hair styles, not emoji of their own. */
const COMPONENT_GROUP = 2;
const SKIN_TONES = {
  '1F3FB': 'light',
  '1F3FC': 'medium-light',
  '1F3FD': 'medium',
  '1F3FE': 'medium-dark',
  '1F3FF': 'dark',
} as const;
type SkinToneName = (typeof SKIN_TONES)[keyof typeof SKIN_TONES];

function skinsOf(emoji: CompactEmoji): Record<SkinToneName, string> | undefined {
  const skins: Partial<Record<SkinToneName, string>> = {};
  for (const skin of emoji.skins ?? []) {
    const tones = new Set(
      skin.hexcode.split('-').filter((code): code is keyof typeof SKIN_TONES => code in SKIN_TONES),
    );
    // Two-person emoji with two tones have no single tone to offer.
    if (tones.size !== 1) continue;
    skins[SKIN_TONES[[...tones][0]]] = skin.unicode;
  }
  const complete = Object.values(SKIN_TONES).every((tone) => skins[tone] !== undefined);
  return complete ? (skins as Record<SkinToneName, string>) : undefined;
}

/** Emojibase's data in the shape frimousse renders (its default loader would fetch a CDN). */
export function toPickerData(dataset: EmojiDataset): EmojiData {
  const emojis = dataset.emojis
    .filter((emoji) => emoji.group !== undefined && emoji.group !== COMPONENT_GROUP)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((emoji) => ({
      emoji: emoji.unicode,
      category: emoji.group!,
      label: emoji.label,
      version: 0,
      tags: emoji.tags ?? [],
      skins: skinsOf(emoji),
    }));
  return {
    locale: 'en',
    emojis,
    categories: dataset.messages.groups
      .filter((group) => group.order !== COMPONENT_GROUP)
      .map((group) => ({ index: group.order, label: group.message })),
    skinTones: {
      light: '✋🏻',
      'medium-light': '✋🏼',
      medium: '✋🏽',
      'medium-dark': '✋🏾',
      dark: '✋🏿',
    },
  };
}

const resolveEmojiData: EmojiDataResolver = () => loadEmojiDataset().then(toPickerData);

/** The full picker: search, categories, keyboard navigation (frimousse, unstyled: see CSS). */
export default function EmojiPickerPanel({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <EmojiPicker.Root
      className="emoji-picker"
      resolveEmojiData={resolveEmojiData}
      onEmojiSelect={({ emoji }) => onPick(normalizeEmoji(emoji))}
    >
      <EmojiPicker.Search className="emoji-picker__search" aria-label="Search emoji" autoFocus />
      <EmojiPicker.Viewport className="emoji-picker__viewport">
        <EmojiPicker.Loading className="emoji-picker__status">Loading…</EmojiPicker.Loading>
        <EmojiPicker.Empty className="emoji-picker__status">No emoji found.</EmojiPicker.Empty>
        <EmojiPicker.List
          className="emoji-picker__list"
          components={{
            CategoryHeader: ({ category, ...props }) => (
              <div className="emoji-picker__category" {...props}>
                {category.label}
              </div>
            ),
            Row: ({ children, ...props }) => (
              <div className="emoji-picker__row" {...props}>
                {children}
              </div>
            ),
            Emoji: ({ emoji, ...props }) => (
              <button
                className="emoji-picker__emoji"
                aria-label={emoji.label}
                data-active={emoji.isActive || undefined}
                {...props}
              >
                {emoji.emoji}
              </button>
            ),
          }}
        />
      </EmojiPicker.Viewport>
    </EmojiPicker.Root>
  );
}
