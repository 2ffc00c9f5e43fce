import { findMentions, mentionTokens } from './mentions';

describe('mentions', () => {
  it('finds usernames and @room, lowercase, once each, in order', () => {
    expect(mentionTokens('@Ann hi @bob.smith and @ann again, @room!')).toEqual({
      usernames: ['ann', 'bob.smith'],
      room: true,
    });
  });

  it('ignores e-mail addresses, too-short names and a bare @', () => {
    expect(mentionTokens('mail ann@example.com, @ab, @ or @@ann')).toEqual({
      usernames: [],
      room: false,
    });
  });

  it('treats trailing dots and dashes as punctuation, and reports where each mention is', () => {
    const text = 'thanks @ann. (@bob-)';
    expect(findMentions(text)).toEqual([
      { start: 7, end: 11, name: 'ann' },
      { start: 14, end: 18, name: 'bob' },
    ]);
    expect(text.slice(7, 11)).toBe('@ann');
  });
});
