import type { MessageDto, NotifyLevel } from '@parley/contracts';
import {
  NOTIFICATION_BODY_MAX_LENGTH,
  defaultNotifyLevel,
  notificationContent,
  shouldNotify,
} from './notification-rules';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ME = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const CAT = '665f1c2b1e8a474d7e9a650c';

const message = (patch: Partial<MessageDto> = {}): MessageDto => ({
  id: '6650aaaa1e8a474d7e9a6500',
  room: 'abcdefghij',
  seq: 3,
  sender: { id: BEN, username: 'ben', displayName: 'Ben' },
  content: 'hello',
  mentions: [],
  mentionsRoom: false,
  clientMessageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  createdAt: '2026-03-01T10:00:00.000Z',
  ...UNCHANGED_MESSAGE_FIELDS,
  ...patch,
});

describe('shouldNotify', () => {
  const plain = message();
  const mentionsMe = message({ mentions: [{ userId: ME, username: 'me' }] });
  const mentionsCat = message({ mentions: [{ userId: CAT, username: 'cat' }] });
  const room = message({ mentionsRoom: true });

  it.each<[NotifyLevel, boolean, boolean, boolean, boolean]>([
    // level, plain, @me, @someone else, @room
    ['all', true, true, true, true],
    ['mentions', false, true, false, true],
    ['muted', false, false, false, false],
  ])('at level %s', (level, forPlain, forMe, forCat, forRoom) => {
    expect(shouldNotify(plain, ME, level)).toBe(forPlain);
    expect(shouldNotify(mentionsMe, ME, level)).toBe(forMe);
    expect(shouldNotify(mentionsCat, ME, level)).toBe(forCat);
    expect(shouldNotify(room, ME, level)).toBe(forRoom);
  });

  it('never for my own messages', () => {
    const mine = message({
      sender: { id: ME, username: 'me', displayName: 'Me' },
      mentionsRoom: true,
    });
    expect(shouldNotify(mine, ME, 'all')).toBe(false);
    expect(shouldNotify(mine, ME, 'mentions')).toBe(false);
  });

  it('defaults to every message in direct rooms and mentions elsewhere', () => {
    expect(defaultNotifyLevel('direct')).toBe('all');
    expect(defaultNotifyLevel('public')).toBe('mentions');
    expect(defaultNotifyLevel('private')).toBe('mentions');
    expect(defaultNotifyLevel(undefined)).toBe('mentions');
  });
});

describe('notificationContent', () => {
  it('names the sender, and the room outside direct conversations; tags with the message id', () => {
    expect(notificationContent(message(), { name: 'Ben', kind: 'direct' })).toEqual({
      title: 'Ben',
      body: 'hello',
      tag: '6650aaaa1e8a474d7e9a6500',
    });
    expect(notificationContent(message(), { name: 'Book club', kind: 'public' }).title).toBe(
      'Ben in Book club',
    );
    expect(notificationContent(message(), undefined).title).toBe('Ben');
  });

  it('shortens a long text without splitting a character', () => {
    const long = message({ content: '😀'.repeat(NOTIFICATION_BODY_MAX_LENGTH + 5) });
    const { body } = notificationContent(long, undefined);
    expect(Array.from(body)).toHaveLength(NOTIFICATION_BODY_MAX_LENGTH);
    expect(body.endsWith('😀…')).toBe(true);
  });
});
