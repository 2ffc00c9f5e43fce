/**
 * Search tokens: what a message stores in its indexed `searchTokens` array, and what a query
 * needs every match to contain. Pure functions, no I/O: the messages service calls
 * `searchTokens` when it stores or edits a message, the search service calls `queryTokens` and
 * `matchQuery`, and the benchmark uses the same code to generate its data.
 *
 * Text is compared after folding (see `foldUnit`): NFKC, lowercase, Latin diacritics removed
 * and Greek final sigma made ordinary — so `ＣＡＦÉ`, `Café` and `cafe` are one word.
 *
 * - Words (runs of letters, digits and marks outside CJK scripts) are found by themselves and by
 *   any prefix: a word stores each of its prefixes from 1 up to `SEARCH_WORD_MAX` characters.
 *   Text inside a word ("ell" in "hello") is not found: storing every substring would cost a
 *   word's length squared in index entries, where prefixes cost its length and cover what people
 *   type (the start of a word they remember).
 * - CJK text (Han, Hiragana, Katakana, Hangul) has no spaces between words, so it is indexed by
 *   character: every character (unigram) and every pair of neighbours (bigram). Any substring is
 *   found: one character by its unigram, longer ones by all their consecutive bigrams. Bigrams
 *   present in a message but not next to each other are a false candidate that `matchQuery`
 *   drops, so results are exact.
 */

/** Characters of a word that are indexed as prefixes; a longer query word matches on these. */
export const SEARCH_WORD_MAX = 20;
/**
 * Tokens one message stores at most (a 4000-character message could yield far more). Tokens are
 * taken in text order, so only the end of a very long, varied message becomes unfindable.
 */
export const SEARCH_TOKENS_MAX = 2000;
/** Terms one query may have: each is one more condition per candidate. */
export const SEARCH_TERMS_MAX = 16;

/** One query term: a word (matched as the start of a word) or a CJK run (matched anywhere). */
export interface SearchTerm {
  kind: 'word' | 'cjk';
  /** Folded text. */
  text: string;
}

/** `[start, end)` in UTF-16 units of the original text. */
export interface SearchRange {
  start: number;
  end: number;
}

type CharacterClass = 'word' | 'cjk' | 'other';

const MARK = /\p{M}/u;
// Combining marks, and the halfwidth Katakana voicing marks that NFKC turns into combining ones.
const UNIT_CONTINUATION = /[\p{M}\uff9e\uff9f]/u;
const COMBINING_MARKS = /\p{M}/gu;
const LATIN = /\p{Script=Latin}/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;
// Script_Extensions, not Script: the Katakana length mark "ー" and the iteration mark "々" are
// Common-script characters that belong to Japanese words.
const CJK =
  /[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script_Extensions=Hangul}]/u;
const ASCII = /^[\u0020-\u007e\t\n\r]*$/;
const ASCII_WORD = /[a-z0-9]/;

/**
 * Folds one normalization unit (a character with the combining marks that follow it). Units are
 * folded one at a time so each folded character can be traced back to the original text for
 * highlights. (Conjoining Hangul jamo that NFKC would compose across units stay apart; input
 * methods send composed syllables.)
 */
function foldUnit(unit: string): string {
  let folded = unit.normalize('NFKC').toLowerCase();
  // Diacritics are folded for Latin only: in other scripts marks change the letter (й ≠ и).
  if (LATIN.test(folded)) folded = folded.normalize('NFD').replace(COMBINING_MARKS, '');
  // Lowercasing one character at a time cannot know a sigma is final; treat both as one letter.
  return folded.replace(/ς/g, 'σ');
}

function codePointLength(text: string, index: number): number {
  const code = text.codePointAt(index) ?? 0;
  return code > 0xffff ? 2 : 1;
}

/** Calls `visit` with each normalization unit's `[start, end)` in `source`. */
function forEachUnit(source: string, visit: (start: number, end: number) => void): void {
  let start = 0;
  while (start < source.length) {
    let end = start + codePointLength(source, start);
    while (
      end < source.length &&
      UNIT_CONTINUATION.test(String.fromCodePoint(source.codePointAt(end) ?? 0))
    ) {
      end += codePointLength(source, end);
    }
    visit(start, end);
    start = end;
  }
}

/** The folded text (what tokens and queries are made of). */
export function foldForSearch(source: string): string {
  // Most messages are ASCII: lowercasing is all folding does to them.
  if (ASCII.test(source)) return source.toLowerCase();
  let folded = '';
  forEachUnit(source, (start, end) => {
    folded += foldUnit(source.slice(start, end));
  });
  return folded;
}

/** The folded text with, for each of its UTF-16 units, the original unit it came from. */
interface FoldedText {
  text: string;
  sourceStart: number[];
  sourceEnd: number[];
}

function foldWithSources(source: string): FoldedText {
  const result: FoldedText = { text: '', sourceStart: [], sourceEnd: [] };
  forEachUnit(source, (start, end) => {
    const folded = foldUnit(source.slice(start, end));
    for (let index = 0; index < folded.length; index += 1) {
      result.sourceStart.push(start);
      result.sourceEnd.push(end);
    }
    result.text += folded;
  });
  return result;
}

function classify(character: string, previous: CharacterClass): CharacterClass {
  if (character.length === 1 && character < '\x80') {
    return ASCII_WORD.test(character) ? 'word' : 'other';
  }
  // A mark that folding left on its own belongs to whatever it follows.
  if (MARK.test(character)) return previous;
  if (!WORD.test(character)) return 'other';
  return CJK.test(character) ? 'cjk' : 'word';
}

/** A run of word or CJK characters in folded text; `characters` are code points. */
interface Run {
  kind: 'word' | 'cjk';
  characters: string[];
  /** UTF-16 offset in the folded text. */
  start: number;
}

function runsOf(folded: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let previous: CharacterClass = 'other';
  let offset = 0;
  for (const character of folded) {
    const kind = classify(character, previous);
    if (kind === 'other') {
      current = undefined;
    } else if (current?.kind === kind) {
      current.characters.push(character);
    } else {
      current = { kind, characters: [character], start: offset };
      runs.push(current);
    }
    previous = kind;
    offset += character.length;
  }
  return runs;
}

/**
 * The tokens a message stores: each word's prefixes (1…`SEARCH_WORD_MAX` characters) and each
 * CJK character and pair of neighbouring characters; de-duplicated, at most `SEARCH_TOKENS_MAX`.
 */
export function searchTokens(content: string): string[] {
  const tokens = new Set<string>();
  const add = (token: string): boolean => {
    tokens.add(token);
    return tokens.size < SEARCH_TOKENS_MAX;
  };
  for (const run of runsOf(foldForSearch(content))) {
    const { characters } = run;
    if (run.kind === 'word') {
      let prefix = '';
      const length = Math.min(characters.length, SEARCH_WORD_MAX);
      for (let index = 0; index < length; index += 1) {
        prefix += characters[index];
        if (!add(prefix)) return [...tokens];
      }
    } else {
      for (let index = 0; index < characters.length; index += 1) {
        const character = characters[index] ?? '';
        if (!add(character)) return [...tokens];
        const next = characters[index + 1];
        if (next !== undefined && !add(character + next)) return [...tokens];
      }
    }
  }
  return [...tokens];
}

/** The terms of a query, folded, de-duplicated, at most `SEARCH_TERMS_MAX`. */
export function queryTerms(query: string): SearchTerm[] {
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const run of runsOf(foldForSearch(query))) {
    const text = run.characters.join('');
    const key = `${run.kind} ${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push({ kind: run.kind, text });
    if (terms.length === SEARCH_TERMS_MAX) break;
  }
  return terms;
}

/** The tokens that one term's matches all store. */
export function termTokens(term: SearchTerm): string[] {
  const characters = [...term.text];
  if (term.kind === 'word') return [characters.slice(0, SEARCH_WORD_MAX).join('')];
  if (characters.length === 1) return characters;
  const bigrams = new Set<string>();
  for (let index = 0; index + 1 < characters.length; index += 1) {
    bigrams.add(`${characters[index] ?? ''}${characters[index + 1] ?? ''}`);
  }
  return [...bigrams];
}

/**
 * The tokens every match of `query` stores (empty: the query has no letters or digits). A
 * message storing all of them is a candidate; `matchQuery` decides.
 */
export function queryTokens(query: string): string[] {
  return [...new Set(queryTerms(query).flatMap(termTokens))];
}

/** Whether the folded text has a word boundary just before `offset` (a word may start there). */
function startsWord(folded: string, offset: number): boolean {
  if (offset === 0) return true;
  const before = folded.codePointAt(offset - 1) ?? 0;
  // The unit before may be the low half of a surrogate pair: step back to the whole character.
  const isLowSurrogate = before >= 0xdc00 && before <= 0xdfff && offset >= 2;
  const character = String.fromCodePoint(
    isLowSurrogate ? (folded.codePointAt(offset - 2) ?? 0) : before,
  );
  return classify(character, 'other') !== 'word';
}

/**
 * Where each term occurs in `content` — `[start, end)` ranges in the original text, sorted and
 * merged — or `null` when some term does not occur (the message is not a match). A word term
 * occurs at the start of a word; a CJK term anywhere.
 */
export function matchQuery(content: string, terms: SearchTerm[]): SearchRange[] | null {
  const folded = foldWithSources(content);
  const ranges: SearchRange[] = [];
  for (const term of terms) {
    let found = false;
    let offset = folded.text.indexOf(term.text);
    while (offset !== -1) {
      if (term.kind === 'cjk' || startsWord(folded.text, offset)) {
        found = true;
        ranges.push({
          start: folded.sourceStart[offset] ?? 0,
          end: folded.sourceEnd[offset + term.text.length - 1] ?? content.length,
        });
      }
      offset = folded.text.indexOf(term.text, offset + 1);
    }
    if (!found) return null;
  }
  ranges.sort((left, right) => left.start - right.start || left.end - right.end);
  const merged: SearchRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}
