import { GuestSignInDto } from '../auth/auth.dto';
import { SendMessageDto } from '../chat/chat-events.dto';
import { ListMessagesQueryDto } from '../messages/message.dto';
import { validatePayload } from './validate';

const uuid = '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11';

describe('validatePayload', () => {
  it('trims message content and accepts a valid payload', () => {
    const result = validatePayload(SendMessageDto, {
      room: 'abcdefghij',
      content: '  hello  ',
      clientMessageId: uuid,
    });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ content: 'hello' }) as unknown,
    });
  });

  it('refuses whitespace-only content and reports the field', () => {
    const result = validatePayload(SendMessageDto, {
      room: 'abcdefghij',
      content: '   ',
      clientMessageId: uuid,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.field)).toEqual(['content']);
  });

  it('refuses content over 4000 characters', () => {
    const result = validatePayload(SendMessageDto, {
      room: 'abcdefghij',
      content: 'x'.repeat(4001),
      clientMessageId: uuid,
    });
    expect(result.ok).toBe(false);
  });

  it('refuses unknown fields and operator objects', () => {
    const result = validatePayload(SendMessageDto, {
      room: { $ne: null },
      content: 'hi',
      clientMessageId: uuid,
      sender: 'someone-else',
    });
    expect(!result.ok && result.issues.map((issue) => issue.field).sort()).toEqual([
      'room',
      'sender',
    ]);
  });

  it('refuses non-object payloads', () => {
    expect(validatePayload(SendMessageDto, 'hello').ok).toBe(false);
    expect(validatePayload(SendMessageDto, null).ok).toBe(false);
    expect(validatePayload(SendMessageDto, [1]).ok).toBe(false);
  });

  it('lowercases usernames and enforces the pattern', () => {
    expect(validatePayload(GuestSignInDto, { username: ' Ann.B ' })).toEqual({
      ok: true,
      value: expect.objectContaining({ username: 'ann.b' }) as unknown,
    });
    expect(validatePayload(GuestSignInDto, { username: 'ab' }).ok).toBe(false);
    expect(validatePayload(GuestSignInDto, { username: 'ann b' }).ok).toBe(false);
  });

  it('parses integer query strings and bounds the page size', () => {
    expect(validatePayload(ListMessagesQueryDto, { before: '10', limit: '20' })).toEqual({
      ok: true,
      value: expect.objectContaining({ before: 10, limit: 20 }) as unknown,
    });
    expect(validatePayload(ListMessagesQueryDto, { limit: '201' }).ok).toBe(false);
    expect(validatePayload(ListMessagesQueryDto, { limit: '1.5' }).ok).toBe(false);
  });
});
