/**
 * Search latency at 100k and 1M stored messages (`npx nx run bench:search`).
 *
 * Starts the embedded database (worker mode, from dist, in memory), creates the messages indexes
 * the server declares, and inserts generated messages — mixed Latin and CJK text from a fixed
 * seed — through the MongoDB driver with `insertMany`, tokens computed by the server's own
 * tokenizer. At each size it times one-room and all-my-rooms queries of 1–3 terms, each the way
 * the server runs it (the same filter, sort, limit and exact-match check), and prints
 * p50/p95/p99 with the plan the database chose. `MONGODB_URI` points it at a real MongoDB instead.
 *
 * Options (environment): SEARCH_BENCH_SIZES (default "100000,1000000"), SEARCH_BENCH_QUERIES per
 * kind and size (default 200), SEARCH_BENCH_SEED (default 8).
 *
 * Memory: the embedded server keeps every index entry on its worker's heap, and a message indexes
 * about 50 search tokens. 1M messages need about 7 GB, past V8's default limit (about 4 GB here;
 * the worker ran out at about 650k messages), so the nx target runs with
 * `--max-old-space-size=12288`, which the worker inherits.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmbeddedMongo, type EmbeddedMongoHandle } from '@parley/embedded-mongo';
import { type Collection, type Document, MongoClient, ObjectId } from 'mongodb';
import { log } from './log';

/** The server's tokenizer (apps/server/src/messages/search-tokens.ts), loaded from its build. */
interface SearchTerm {
  kind: 'word' | 'cjk';
  text: string;
}
interface SearchTokensModule {
  searchTokens(content: string): string[];
  queryTerms(query: string): SearchTerm[];
  termTokens(term: SearchTerm): string[];
  matchQuery(content: string, terms: SearchTerm[]): { start: number; end: number }[] | null;
}

const REPOSITORY = path.resolve(__dirname, '../../..');
const TOKENIZER_FILE = path.join(REPOSITORY, 'apps/server/dist/messages/search-tokens.js');

const ROOMS = 2_000;
/** Rooms of the searching user (the all-rooms scope). */
const MEMBER_ROOMS = 40;
const PAGE_LIMIT = 20;
/**
 * Documents per insertMany. The embedded server handles a command on one thread; a batch that
 * indexes ~50 tokens per message keeps it busy long enough that a big one starves the driver's
 * heartbeat on a loaded machine.
 */
const INSERT_BATCH = 500;
/** Share of messages with CJK text. */
const CJK_SHARE = 0.35;

function numberOption(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined ? fallback : Number(value);
}

/** mulberry32: a small seeded generator, so every run stores the same messages. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class TextGenerator {
  private readonly latinWords: string[];
  private readonly cjkCharacters: string[];

  constructor(private readonly random: () => number) {
    const syllables = ['ka', 'ro', 'mi', 'ten', 'sa', 'lu', 'ver', 'no', 'qui', 'dra', 'pe', 'zo'];
    const consonants = 'bcdfghjklmnprstvwz';
    // 5 000 pseudo-words of 2–4 syllables: a realistic spread of shared prefixes.
    this.latinWords = Array.from({ length: 5_000 }, () => {
      const count = 2 + Math.floor(random() * 3);
      let word = '';
      for (let index = 0; index < count; index += 1) {
        word +=
          random() < 0.5
            ? this.pick(syllables)
            : `${consonants[Math.floor(random() * consonants.length)] ?? 'b'}${this.pick(['a', 'e', 'i', 'o', 'u'])}`;
      }
      return word;
    });
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index));
    this.cjkCharacters = [
      ...range(0x4e00, 0x4e00 + 1_500), // Han
      ...range(0x3041, 0x3093), // Hiragana
      ...range(0x30a1, 0x30f3), // Katakana
      ...range(0xac00, 0xac00 + 400), // Hangul syllables
    ];
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Zipf-like: a few words are very common, most are rare (as in chat). */
  latinWord(): string {
    const rank = Math.floor(this.latinWords.length * this.random() ** 3);
    return this.latinWords[rank] ?? 'word';
  }

  cjkRun(): string {
    const length = 2 + Math.floor(this.random() * 8);
    let run = '';
    for (let index = 0; index < length; index += 1) {
      const rank = Math.floor(this.cjkCharacters.length * this.random() ** 2);
      run += this.cjkCharacters[rank] ?? '一';
    }
    return run;
  }

  message(): string {
    const words = 4 + Math.floor(this.random() * 14);
    const withCjk = this.random() < CJK_SHARE;
    const parts: string[] = [];
    for (let index = 0; index < words; index += 1) {
      parts.push(withCjk && this.random() < 0.5 ? this.cjkRun() : this.latinWord());
    }
    const text = parts.join(' ');
    return this.random() < 0.2 ? `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.` : text;
  }

  /** A query of 1–3 terms: words, word prefixes or CJK substrings of 1–4 characters. */
  query(): string {
    const terms = 1 + Math.floor(this.random() * 3);
    const parts: string[] = [];
    for (let index = 0; index < terms; index += 1) {
      const kind = this.random();
      if (kind < 0.4) parts.push(this.latinWord());
      else if (kind < 0.7) parts.push(this.latinWord().slice(0, 2 + Math.floor(this.random() * 3)));
      else parts.push(this.cjkRun().slice(0, 1 + Math.floor(this.random() * 4)));
    }
    return parts.join(' ');
  }
}

function roomId(index: number): string {
  return `r${index.toString(36).padStart(9, '0')}`;
}

async function insertMessages(
  messages: Collection,
  tokenizer: SearchTokensModule,
  text: TextGenerator,
  random: () => number,
  from: number,
  to: number,
  seqByRoom: number[],
): Promise<void> {
  const started = performance.now();
  const sender = new ObjectId();
  for (let start = from; start < to; start += INSERT_BATCH) {
    const batch: Document[] = [];
    for (let index = start; index < Math.min(to, start + INSERT_BATCH); index += 1) {
      const room = Math.floor(random() * ROOMS);
      const seq = (seqByRoom[room] ?? 0) + 1;
      seqByRoom[room] = seq;
      const content = text.message();
      const tokens = tokenizer.searchTokens(content);
      batch.push({
        room: roomId(room),
        seq,
        sender,
        senderUsername: 'bench',
        senderDisplayName: 'Bench',
        content,
        clientMessageId: `bench-${index}`,
        createdAt: new Date(),
        ...(tokens.length > 0 ? { searchTokens: tokens } : {}),
      });
    }
    await messages.insertMany(batch, { ordered: false });
    if ((start - from) % 100_000 === 0 && start > from) log(`  inserted ${start} messages`);
  }
  const seconds = (performance.now() - started) / 1000;
  log(`inserted ${to - from} messages in ${seconds.toFixed(1)} s`);
}

interface QueryOutcome {
  milliseconds: number;
  hits: number;
}

/** One search page, the way SearchService runs it (one batch of candidates; the usual case). */
async function searchOnce(
  messages: Collection,
  tokenizer: SearchTokensModule,
  query: string,
  rooms: string[],
): Promise<QueryOutcome> {
  const started = performance.now();
  const terms = tokenizer.queryTerms(query);
  const tokens = [...new Set(terms.flatMap((term) => tokenizer.termTokens(term)))].sort(
    (left, right) => [...right].length - [...left].length,
  );
  const [lead, ...rest] = tokens;
  const filter = {
    searchTokens: rest.length > 0 ? { $eq: lead, $all: rest } : { $eq: lead },
    room: rooms.length === 1 ? rooms[0] : { $in: rooms },
    deletedAt: null,
  };
  const candidates = await messages
    .find(filter)
    .sort({ _id: -1 })
    .limit(PAGE_LIMIT + 1)
    .toArray();
  let hits = 0;
  for (const candidate of candidates) {
    if (tokenizer.matchQuery(String(candidate['content']), terms)) hits += 1;
  }
  return { milliseconds: performance.now() - started, hits };
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function explainPlan(messages: Collection, filter: Document): Promise<string> {
  const explained = await messages
    .find(filter)
    .sort({ _id: -1 })
    .limit(PAGE_LIMIT + 1)
    .explain();
  const text = JSON.stringify(explained);
  const stage = /"stage":"(COLLSCAN|IXSCAN|EOF)"/.exec(text)?.[1] ?? 'unknown';
  const index = /"indexName":"([^"]+)"/.exec(text)?.[1];
  const keys = /"(?:totalKeysExamined|keysExamined)":(\d+)/.exec(text)?.[1];
  const docs = /"(?:totalDocsExamined|docsExamined)":(\d+)/.exec(text)?.[1];
  const sortCovered = /"sortCovered":(true|false)/.exec(text)?.[1];
  return (
    `${stage}${index ? ` ${index}` : ''}` +
    `${keys ? `, keys examined ${keys}` : ''}${docs ? `, documents examined ${docs}` : ''}` +
    `${sortCovered ? `, sort from index: ${sortCovered}` : ''}`
  );
}

async function measure(
  messages: Collection,
  tokenizer: SearchTokensModule,
  seed: number,
  size: number,
  queriesPerKind: number,
): Promise<void> {
  // Queries from their own seeded stream: the same queries at every size.
  const random = seededRandom(seed * 7919);
  const text = new TextGenerator(random);
  const memberRooms = Array.from({ length: MEMBER_ROOMS }, (_, index) =>
    roomId(Math.floor((index * ROOMS) / MEMBER_ROOMS)),
  );
  const queries = Array.from({ length: queriesPerKind }, () => text.query());
  // Warm-up, so the first query's connection and JIT costs are not measured.
  for (const query of queries.slice(0, 10))
    await searchOnce(messages, tokenizer, query, memberRooms);
  for (const [scope, roomsFor] of [
    ['one room', (index: number) => [memberRooms[index % MEMBER_ROOMS] ?? roomId(0)]],
    [`all my rooms (${MEMBER_ROOMS})`, () => memberRooms],
  ] as const) {
    for (const terms of [1, 2, 3]) {
      const timings: number[] = [];
      let hits = 0;
      const ofLength = queries.filter((query) => query.split(' ').length === terms);
      for (const [index, query] of ofLength.entries()) {
        const outcome = await searchOnce(messages, tokenizer, query, roomsFor(index));
        timings.push(outcome.milliseconds);
        hits += outcome.hits;
      }
      timings.sort((left, right) => left - right);
      console.log(
        `${String(size).padStart(8)} messages | ${scope.padEnd(18)} | ${terms} term${terms > 1 ? 's' : ' '} | ` +
          `n=${String(timings.length).padStart(3)} | p50 ${percentile(timings, 0.5).toFixed(2)} ms | ` +
          `p95 ${percentile(timings, 0.95).toFixed(2)} ms | p99 ${percentile(timings, 0.99).toFixed(2)} ms | ` +
          `avg hits ${(hits / Math.max(1, timings.length)).toFixed(1)}`,
      );
    }
  }
  // The plan for a common one-letter prefix and a rare word, in one room and across rooms.
  const common = tokenizer.searchTokens(text.latinWord())[0] ?? 'k';
  const rare = text.latinWord();
  for (const [label, token, rooms] of [
    [`common token "${common}", one room`, common, [memberRooms[0]]],
    [`common token "${common}", all my rooms`, common, memberRooms],
    [`word "${rare}", all my rooms`, rare, memberRooms],
  ] as const) {
    const filter = {
      searchTokens: { $eq: token },
      room: rooms.length === 1 ? rooms[0] : { $in: rooms },
      deletedAt: null,
    };
    console.log(
      `${String(size).padStart(8)} messages | plan, ${label}: ${await explainPlan(messages, filter)}`,
    );
  }
}

async function main(): Promise<void> {
  const sizes = (process.env['SEARCH_BENCH_SIZES'] ?? '100000,1000000')
    .split(',')
    .map(Number)
    .sort((left, right) => left - right);
  const queriesPerKind = numberOption('SEARCH_BENCH_QUERIES', 200);
  const seed = numberOption('SEARCH_BENCH_SEED', 8);
  const tokenizer = createRequire(__filename)(TOKENIZER_FILE) as SearchTokensModule;

  const externalUri = process.env['MONGODB_URI'];
  let server: EmbeddedMongoHandle | undefined;
  if (!externalUri) {
    server = await EmbeddedMongo.start({ port: 0 });
    log(`embedded database at ${server.uri} (in a worker: ${String(server.inWorker)})`);
  }
  // Generous timeouts: while a batch is being indexed the server answers no heartbeat either.
  const client = new MongoClient(externalUri ?? server?.uri ?? '', {
    connectTimeoutMS: 600_000,
    socketTimeoutMS: 0,
    serverSelectionTimeoutMS: 600_000,
    heartbeatFrequencyMS: 60_000,
  });
  await client.connect();
  const database = client.db(`parley_search_bench_${Date.now().toString(36)}`);
  try {
    const messages = database.collection('messages');
    // The indexes apps/server/src/messages/message.schema.ts declares.
    await messages.createIndex({ room: 1, seq: 1 }, { unique: true });
    await messages.createIndex({ room: 1, sender: 1, clientMessageId: 1 }, { unique: true });
    await messages.createIndex({ searchTokens: 1, room: 1, _id: -1 });

    const random = seededRandom(seed);
    const text = new TextGenerator(random);
    const seqByRoom: number[] = [];
    let stored = 0;
    for (const size of sizes) {
      await insertMessages(messages, tokenizer, text, random, stored, size, seqByRoom);
      stored = size;
      await measure(messages, tokenizer, seed, size, queriesPerKind);
    }
  } finally {
    await database.dropDatabase().catch(() => undefined);
    await client.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
