import { ReactDto } from '../chat/message-actions.dto';
import { SendMessageDto } from '../chat/chat-events.dto';
import { validatePayload } from '../common/validate';
import { EMOJI_PATTERN } from './message.dto';

const ROOM = 'abcdefghij';
const FILE = '0123456789abcdef01234567';
const base = { room: ROOM, clientMessageId: '00000000-0000-4000-8000-000000000001' };

describe('message contract', () => {
  it('accepts one emoji, with modifiers, joiners, flags and keycaps', () => {
    for (const emoji of ['👍', '❤️', '👩‍👩‍👧', '🇫🇷', '1️⃣', '👍🏽']) {
      expect([emoji, EMOJI_PATTERN.test(emoji)]).toEqual([emoji, true]);
    }
  });

  it('refuses text, shortcodes, markup and bare emoji components', () => {
    for (const text of ['a', ':+1:', '<b>', '', '1', '#']) {
      expect([text, EMOJI_PATTERN.test(text)]).toEqual([text, false]);
    }
    const react = { room: ROOM, id: FILE, add: true };
    expect(validatePayload(ReactDto, { ...react, emoji: '👍' }).ok).toBe(true);
    expect(validatePayload(ReactDto, { ...react, emoji: '👍'.repeat(33) }).ok).toBe(false);
  });

  it('lets a message be empty only when it carries files, and never longer than 4000', () => {
    expect(validatePayload(SendMessageDto, { ...base, content: '  ' }).ok).toBe(false);
    expect(validatePayload(SendMessageDto, { ...base, content: '', attachments: [FILE] }).ok).toBe(
      true,
    );
    const tooLong = { ...base, content: 'x'.repeat(4001), attachments: [FILE] };
    expect(validatePayload(SendMessageDto, tooLong).ok).toBe(false);
    expect(validatePayload(SendMessageDto, { ...base, content: 'hi', attachments: ['x'] }).ok).toBe(
      false,
    );
    const twice = { ...base, content: 'hi', attachments: [FILE, FILE] };
    expect(validatePayload(SendMessageDto, twice).ok).toBe(false);
  });
});
