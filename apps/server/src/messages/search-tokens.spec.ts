import {
  foldForSearch,
  matchQuery,
  queryTerms,
  queryTokens,
  SEARCH_TERMS_MAX,
  SEARCH_TOKENS_MAX,
  SEARCH_WORD_MAX,
  searchTokens,
} from './search-tokens';

/** Whether `query` finds `content` the way the service does: the index first, then `matchQuery`. */
function finds(content: string, query: string): boolean {
  const stored = new Set(searchTokens(content));
  const required = queryTokens(query);
  if (required.length === 0 || !required.every((token) => stored.has(token))) return false;
  return matchQuery(content, queryTerms(query)) !== null;
}

/** The highlighted stretches of `content`, as text. */
function highlighted(content: string, query: string): string[] | null {
  const ranges = matchQuery(content, queryTerms(query));
  return ranges && ranges.map(({ start, end }) => content.slice(start, end));
}

describe('foldForSearch', () => {
  it('applies NFKC, lowercases, drops Latin diacritics and unifies final sigma', () => {
    expect(foldForSearch('ＨＥＬＬＯ Ⅻ ﬁne')).toBe('hello xii fine');
    expect(foldForSearch('Café CAFE\u0301 Ærø')).toBe('cafe cafe ærø');
    expect(foldForSearch('ΟΔΟΣ οδος')).toBe('οδοσ οδοσ');
  });

  it('keeps the marks that change a letter outside Latin', () => {
    expect(foldForSearch('Йод')).toBe('йод');
    expect(foldForSearch('ｶﾞｷﾞ')).toBe('ガギ');
  });
});

describe('searchTokens', () => {
  it('stores every prefix of every word, once', () => {
    expect(searchTokens('Hello, hello help!')).toEqual(['h', 'he', 'hel', 'hell', 'hello', 'help']);
  });

  it('splits words on anything but letters, digits and marks', () => {
    expect(searchTokens("don't_stop 2024-05")).toEqual([
      'd',
      'do',
      'don',
      't',
      's',
      'st',
      'sto',
      'stop',
      '2',
      '20',
      '202',
      '2024',
      '0',
      '05',
    ]);
  });

  it('caps a word at SEARCH_WORD_MAX characters (code points, not UTF-16 units)', () => {
    const tokens = searchTokens('x'.repeat(50));
    expect(tokens).toHaveLength(SEARCH_WORD_MAX);
    expect(tokens.at(-1)).toBe('x'.repeat(SEARCH_WORD_MAX));
    const astral = searchTokens('𝒳'.repeat(30));
    expect(astral.at(-1)).toBe('x'.repeat(SEARCH_WORD_MAX));
  });

  it('stores CJK characters and neighbouring pairs instead of prefixes', () => {
    expect(searchTokens('東京タワー')).toEqual([
      '東',
      '東京',
      '京',
      '京タ',
      'タ',
      'タワ',
      'ワ',
      'ワー',
      'ー',
    ]);
    expect(searchTokens('안녕 세상')).toEqual(['안', '안녕', '녕', '세', '세상', '상']);
  });

  it('separates CJK runs from Latin words they touch', () => {
    expect(searchTokens('東京tower')).toEqual([
      '東',
      '東京',
      '京',
      't',
      'to',
      'tow',
      'towe',
      'tower',
    ]);
  });

  it('caps a message at SEARCH_TOKENS_MAX tokens, keeping the start of the text', () => {
    const words = Array.from({ length: 3000 }, (_, index) => `w${index.toString(36)}`);
    const tokens = searchTokens(words.join(' '));
    expect(tokens).toHaveLength(SEARCH_TOKENS_MAX);
    expect(tokens).toContain('w0');
    expect(tokens).not.toContain(words.at(-1));
  });

  it('stores nothing for text without letters or digits', () => {
    expect(searchTokens('')).toEqual([]);
    expect(searchTokens('!!! 🎉 ...')).toEqual([]);
  });
});

describe('queryTokens', () => {
  it('asks for each word as a prefix token, capped like stored words', () => {
    expect(queryTokens('Hello WORLD hello')).toEqual(['hello', 'world']);
    expect(queryTokens('a'.repeat(30))).toEqual(['a'.repeat(SEARCH_WORD_MAX)]);
  });

  it('asks for the bigrams of a CJK run, or its one character', () => {
    expect(queryTokens('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(queryTokens('東')).toEqual(['東']);
    expect(queryTokens('ああああ')).toEqual(['ああ']);
  });

  it('is empty for a query without letters or digits', () => {
    expect(queryTokens('  !?  ')).toEqual([]);
  });

  it('keeps at most SEARCH_TERMS_MAX terms', () => {
    const query = Array.from({ length: 30 }, (_, index) => `t${index}`).join(' ');
    expect(queryTerms(query)).toHaveLength(SEARCH_TERMS_MAX);
  });
});

describe('finding a message (index tokens, then matchQuery)', () => {
  it.each([
    ['The quick brown fox', 'quick', true],
    ['The quick brown fox', 'qui', true],
    ['The quick brown fox', 'QUICK fox', true],
    ['The quick brown fox', 'fox quick', true],
    ['The quick brown fox', 'uick', false],
    ['The quick brown fox', 'quick cat', false],
    ['Rendez-vous au café', 'cafe', true],
    ['Rendez-vous au cafe', 'CAFÉ', true],
    ['ＦＵＬＬＷＩＤＴＨ text', 'fullwidth', true],
    ['我们明天去北京', '北', true],
    ['我们明天去北京', '北京', true],
    ['我们明天去北京', '明天去北京', true],
    ['我们明天去北京', '京北', false],
    ['東京タワーに行きました', 'タワー', true],
    ['東京タワーに行きました', 'ワーに行', true],
    ['한국어 검색을 지원합니다', '검', true],
    ['한국어 검색을 지원합니다', '검색', true],
    ['한국어 검색을 지원합니다', '색을 지원', true],
    ['meeting at 東京駅 tomorrow', 'tom 東京', true],
    ['meeting at 東京駅 tomorrow', '京駅', true],
  ])('%j with %j: %s', (content, query, expected) => {
    expect(finds(content, query)).toBe(expected);
  });

  it('drops a candidate whose bigrams are all there but not next to each other', () => {
    // 北京 and 京大 are both stored, yet 北京大 is not in the text.
    const content = '北京 京大';
    const query = '北京大';
    const stored = new Set(searchTokens(content));
    expect(queryTokens(query).every((token) => stored.has(token))).toBe(true);
    expect(matchQuery(content, queryTerms(query))).toBeNull();
  });

  it('finds a word term only at the start of a word', () => {
    expect(matchQuery('ahello hello', queryTerms('hello'))).toEqual([{ start: 7, end: 12 }]);
  });
});

describe('matchQuery highlights', () => {
  it('marks each occurrence of each term in the original text', () => {
    expect(highlighted('Hello world, hello again', 'hel wor')).toEqual(['Hel', 'wor', 'hel']);
  });

  it('merges overlapping ranges', () => {
    expect(matchQuery('hello', queryTerms('he hell'))).toEqual([{ start: 0, end: 4 }]);
  });

  it('maps folded characters back to the original units', () => {
    // Decomposed é (e + U+0301) is one unit: the highlight includes the mark.
    const decomposed = 'Cafe\u0301 noir';
    expect(matchQuery(decomposed, queryTerms('café'))).toEqual([{ start: 0, end: 5 }]);
    // Fullwidth letters fold to ASCII one for one.
    expect(highlighted('ＦＵＬＬ width', 'full')).toEqual(['ＦＵＬＬ']);
    // The ligature ﬁ folds to two letters; a match on its first one highlights all of it.
    expect(highlighted('ﬁne', 'f')).toEqual(['ﬁ']);
    // İ lowercases to two units (i + dot above).
    expect(highlighted('İstanbul', 'istan')).toEqual(['İstan']);
  });

  it('counts UTF-16 units around surrogate pairs', () => {
    const content = '😀 𠮷野家 😀 hello';
    expect(highlighted(content, '野家')).toEqual(['野家']);
    expect(highlighted(content, '𠮷')).toEqual(['𠮷']);
    expect(matchQuery(content, queryTerms('𠮷野'))).toEqual([{ start: 3, end: 6 }]);
    expect(matchQuery(content, queryTerms('hello'))).toEqual([{ start: 11, end: 16 }]);
    // A word after an astral letter-like symbol still starts after it.
    expect(highlighted('𝒳ray xray', 'xray')).toEqual(['𝒳ray', 'xray']);
  });

  it('finds CJK text anywhere, including inside longer runs', () => {
    expect(highlighted('東京タワーと東京駅', '東京')).toEqual(['東京', '東京']);
  });
});
