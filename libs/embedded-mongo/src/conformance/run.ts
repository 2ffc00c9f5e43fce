/*
 * Runs the official MongoDB CRUD unified-format spec tests (from $MONGO_SPEC_DIR) through the real
 * `mongodb` driver against an embedded server, and compares the outcome with the checked-in
 * expectations file. Usage: node dist/conformance/run.js [--update] [--filter TEXT] [--verbose]
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Document, EJSON } from 'bson';
import {
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  MongoBulkWriteError,
  MongoClient,
  type MongoClientOptions,
  MongoServerError,
} from 'mongodb';
import { EmbeddedMongo } from '../embedded';
import { match, MatchError, type MatchContext } from './match';

const SERVER_VERSION = [7, 0, 0];
const TOPOLOGY = 'single';
const EXPECTATIONS = path.resolve(__dirname, '..', '..', 'conformance', 'expectations.json');

type Expectation = 'pass' | { skip: string };
type Outcome =
  { status: 'pass' } | { status: 'fail'; error: string } | { status: 'skip'; reason: string };

class SkipTest extends Error {}

function isDoc(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseVersion(v: string): number[] {
  return v.split('.').map((x) => Number(x));
}

function cmpVersion(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why a runOnRequirement is not met by a standalone 7.0.0 server, or undefined when it is. */
function unmetRequirement(req: Document): string | undefined {
  if (
    typeof req.minServerVersion === 'string' &&
    cmpVersion(SERVER_VERSION, parseVersion(req.minServerVersion)) < 0
  )
    return `minServerVersion ${req.minServerVersion}`;
  if (
    typeof req.maxServerVersion === 'string' &&
    cmpVersion(SERVER_VERSION, parseVersion(req.maxServerVersion)) > 0
  )
    return `maxServerVersion ${req.maxServerVersion}`;
  if (Array.isArray(req.topologies) && !req.topologies.includes(TOPOLOGY))
    return `topologies ${req.topologies.join(',')}`;
  if (req.serverless === 'require') return 'serverless required';
  if (req.auth === true) return 'auth required';
  if (req.csfle === true) return 'csfle required';
  if (req.serverParameters !== undefined) return 'serverParameters';
  return undefined;
}

function requirementsUnmet(reqs: unknown): string | undefined {
  if (!Array.isArray(reqs) || reqs.length === 0) return undefined;
  const reasons = (reqs as Document[]).map(unmetRequirement);
  return reasons.every((r) => r !== undefined) ? reasons.join(' / ') : undefined;
}

interface ClientEntity {
  client: MongoClient;
  events: {
    type: string;
    event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent;
  }[];
}

class TestRun {
  readonly entities = new Map<string, unknown>();
  readonly clients = new Map<string, ClientEntity>();

  constructor(
    private readonly uri: string,
    private readonly internal: MongoClient,
  ) {}

  get matchCtx(): MatchContext {
    return { entities: this.entities };
  }

  async createEntities(list: Document[]): Promise<void> {
    for (const e of list) {
      const kind = Object.keys(e)[0];
      const spec = e[kind] as Document;
      const id = String(spec.id);
      if (kind === 'client') {
        const opts: MongoClientOptions = {
          monitorCommands: true,
          ...(spec.uriOptions as Document | undefined),
        };
        if (spec.serverApi !== undefined) throw new SkipTest('serverApi client option');
        const client = new MongoClient(this.uri, opts);
        const entity: ClientEntity = { client, events: [] };
        const observe = new Set((spec.observeEvents as string[] | undefined) ?? []);
        const ignore = new Set([
          'configureFailPoint',
          ...((spec.ignoreCommandMonitoringEvents as string[] | undefined) ?? []),
        ]);
        const sensitive = new Set([
          'hello',
          'ismaster',
          'isMaster',
          'saslStart',
          'saslContinue',
          'getnonce',
          'authenticate',
          'createUser',
          'updateUser',
          'copydbgetnonce',
          'copydbsaslstart',
          'copydb',
        ]);
        const add =
          (type: string) =>
          (ev: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent) => {
            if (!observe.has(type) || ignore.has(ev.commandName) || sensitive.has(ev.commandName))
              return;
            entity.events.push({ type, event: ev });
          };
        client.on('commandStarted', add('commandStartedEvent'));
        client.on('commandSucceeded', add('commandSucceededEvent'));
        client.on('commandFailed', add('commandFailedEvent'));
        await client.connect();
        this.clients.set(id, entity);
        this.entities.set(id, client);
      } else if (kind === 'database') {
        const client = this.entities.get(String(spec.client)) as MongoClient;
        this.entities.set(
          id,
          client.db(String(spec.databaseName), spec.databaseOptions as Document | undefined),
        );
      } else if (kind === 'collection') {
        const db = this.entities.get(String(spec.database)) as Db;
        this.entities.set(
          id,
          db.collection(
            String(spec.collectionName),
            spec.collectionOptions as Document | undefined,
          ),
        );
      } else {
        throw new SkipTest(`entity type ${kind}`);
      }
    }
  }

  async initialData(data: Document[] | undefined): Promise<void> {
    for (const d of data ?? []) {
      const db = this.internal.db(String(d.databaseName));
      const name = String(d.collectionName);
      await db
        .collection(name)
        .drop()
        .catch(() => undefined);
      const docs = d.documents as Document[];
      if (docs.length > 0 && d.createOptions === undefined)
        await db.collection(name).insertMany(docs);
      else {
        await db.createCollection(name, d.createOptions as Document | undefined);
        if (docs.length > 0) await db.collection(name).insertMany(docs);
      }
    }
    for (const c of this.clients.values()) c.events.length = 0;
  }

  async runOperation(op: Document): Promise<void> {
    const args = (op.arguments as Document | undefined) ?? {};
    let result: unknown;
    let error: unknown;
    let cursorResult = false;
    try {
      [result, cursorResult] = await this.execute(String(op.object), String(op.name), args);
    } catch (e) {
      if (e instanceof SkipTest) throw e;
      error = e;
    }
    if (op.expectError !== undefined) {
      if (error === undefined)
        throw new MatchError(
          `${String(op.name)}: expected an error, got ${EJSON.stringify(result)}`,
        );
      this.checkError(op.expectError as Document, error);
      return;
    }
    if (error !== undefined)
      throw error instanceof Error ? error : new Error(EJSON.stringify({ error }));
    if (op.expectResult !== undefined) {
      const expected: unknown = op.expectResult;
      if (cursorResult && Array.isArray(expected) && Array.isArray(result)) {
        if (expected.length !== result.length)
          throw new MatchError(
            `${String(op.name)}: expected ${expected.length} documents, got ${result.length}: ${EJSON.stringify(result)}`,
          );
        expected.forEach((e, i) =>
          match(e, (result as unknown[])[i], this.matchCtx, `$[${i}]`, true),
        );
      } else match(expected, result, this.matchCtx, '$', true);
    }
    if (typeof op.saveResultAsEntity === 'string') this.entities.set(op.saveResultAsEntity, result);
  }

  private checkError(exp: Document, err: unknown): void {
    const e = err as Error & {
      code?: number;
      codeName?: string;
      errorResponse?: Document;
      hasErrorLabel?: (l: string) => boolean;
      result?: unknown;
    };
    const isServer = err instanceof MongoServerError;
    if (exp.isClientError === true && isServer)
      throw new MatchError(`expected a client error, got server error ${e.message}`);
    if (exp.isClientError === false && !isServer)
      throw new MatchError(`expected a server error, got client error ${e.message}`);
    if (
      typeof exp.errorContains === 'string' &&
      !e.message.toLowerCase().includes(exp.errorContains.toLowerCase())
    ) {
      throw new MatchError(`error message "${e.message}" does not contain "${exp.errorContains}"`);
    }
    if (exp.errorCode !== undefined && e.code !== exp.errorCode)
      throw new MatchError(
        `expected error code ${String(exp.errorCode)}, got ${String(e.code)} (${e.message})`,
      );
    if (
      typeof exp.errorCodeName === 'string' &&
      (e.codeName ?? '').toLowerCase() !== exp.errorCodeName.toLowerCase()
    ) {
      throw new MatchError(`expected codeName ${exp.errorCodeName}, got ${String(e.codeName)}`);
    }
    for (const l of (exp.errorLabelsContain as string[] | undefined) ?? [])
      if (!e.hasErrorLabel?.(l)) throw new MatchError(`missing error label ${l}`);
    for (const l of (exp.errorLabelsOmit as string[] | undefined) ?? [])
      if (e.hasErrorLabel?.(l)) throw new MatchError(`unexpected error label ${l}`);
    if (exp.errorResponse !== undefined)
      match(exp.errorResponse, e.errorResponse ?? e, this.matchCtx, '$errorResponse', true);
    if (exp.expectResult !== undefined) {
      const res = err instanceof MongoBulkWriteError ? bulkResult(err.result) : undefined;
      match(exp.expectResult, res, this.matchCtx, '$errorResult', true);
    }
    if (exp.writeErrors !== undefined || exp.writeConcernErrors !== undefined)
      throw new SkipTest('clientBulkWrite error assertions');
  }

  private async execute(object: string, name: string, args: Document): Promise<[unknown, boolean]> {
    if (object === 'testRunner') return [await this.testRunnerOp(name, args), false];
    const target = this.entities.get(object);
    if (args.session !== undefined) throw new SkipTest('sessions');
    const { ...opts } = args;
    const take = (k: string): unknown => {
      const v: unknown = opts[k];
      delete opts[k];
      return v;
    };
    if (target instanceof MongoClient) {
      if (name === 'clientBulkWrite')
        return [await target.bulkWrite(take('models') as never[], opts), false];
      throw new SkipTest(`client operation ${name}`);
    }
    if (isDb(target)) {
      switch (name) {
        case 'aggregate':
          return [await target.aggregate(take('pipeline') as Document[], opts).toArray(), true];
        case 'runCommand':
          return [await target.command(take('command') as Document, opts), false];
        case 'dropCollection':
          return [await target.dropCollection(String(take('collection')), opts), false];
        case 'createCollection':
          await target.createCollection(String(take('collection')), opts);
          return [undefined, false];
        case 'listCollections':
          return [await target.listCollections(take('filter') as Document, opts).toArray(), true];
        case 'modifyCollection':
          return [await target.command({ collMod: take('collection'), ...opts }), false];
        default:
          throw new SkipTest(`database operation ${name}`);
      }
    }
    const coll = target as Collection;
    if (opts.returnDocument !== undefined)
      opts.returnDocument = String(opts.returnDocument).toLowerCase();
    switch (name) {
      case 'insertOne': {
        const r = await coll.insertOne(take('document') as Document, opts);
        return [{ insertedId: r.insertedId }, false];
      }
      case 'insertMany': {
        const r = await coll.insertMany(take('documents') as Document[], opts);
        return [{ insertedIds: r.insertedIds }, false];
      }
      case 'updateOne':
      case 'updateMany': {
        const filter = take('filter') as Document;
        const update = take('update') as Document;
        const r =
          name === 'updateOne'
            ? await coll.updateOne(filter, update, opts)
            : await coll.updateMany(filter, update, opts);
        return [
          {
            matchedCount: r.matchedCount,
            modifiedCount: r.modifiedCount,
            upsertedCount: r.upsertedCount,
            upsertedId: r.upsertedId ?? undefined,
          },
          false,
        ];
      }
      case 'replaceOne': {
        const r = await coll.replaceOne(
          take('filter') as Document,
          take('replacement') as Document,
          opts,
        );
        return [
          {
            matchedCount: r.matchedCount,
            modifiedCount: r.modifiedCount,
            upsertedCount: r.upsertedCount,
            upsertedId: r.upsertedId ?? undefined,
          },
          false,
        ];
      }
      case 'deleteOne':
      case 'deleteMany': {
        const filter = take('filter') as Document;
        const r =
          name === 'deleteOne'
            ? await coll.deleteOne(filter, opts)
            : await coll.deleteMany(filter, opts);
        return [{ deletedCount: r.deletedCount }, false];
      }
      case 'bulkWrite': {
        const r = await coll.bulkWrite(take('requests') as never[], opts);
        return [bulkResult(r), false];
      }
      case 'find':
        return [await coll.find(take('filter') as Document, opts).toArray(), true];
      case 'findOne':
        return [await coll.findOne(take('filter') as Document, opts), false];
      case 'aggregate':
        return [await coll.aggregate(take('pipeline') as Document[], opts).toArray(), true];
      case 'countDocuments':
        return [await coll.countDocuments(take('filter') as Document, opts), false];
      case 'estimatedDocumentCount':
        return [await coll.estimatedDocumentCount(opts), false];
      case 'count':
        return [await coll.count(take('filter') as Document, opts), false];
      case 'distinct':
        return [
          await coll.distinct(String(take('fieldName')), take('filter') as Document, opts),
          false,
        ];
      case 'findOneAndUpdate':
        return [
          await coll.findOneAndUpdate(take('filter') as Document, take('update') as Document, opts),
          false,
        ];
      case 'findOneAndReplace':
        return [
          await coll.findOneAndReplace(
            take('filter') as Document,
            take('replacement') as Document,
            opts,
          ),
          false,
        ];
      case 'findOneAndDelete':
        return [await coll.findOneAndDelete(take('filter') as Document, opts), false];
      case 'createIndex':
        return [await coll.createIndex(take('keys') as Document, opts), false];
      case 'dropIndex':
        return [await coll.dropIndex(String(take('name')), opts), false];
      case 'listIndexes':
        return [await coll.listIndexes(opts).toArray(), true];
      default:
        throw new SkipTest(`collection operation ${name}`);
    }
  }

  private async testRunnerOp(name: string, args: Document): Promise<unknown> {
    switch (name) {
      case 'failPoint': {
        const client = this.entities.get(String(args.client)) as MongoClient;
        return client.db('admin').command(args.failPoint as Document);
      }
      case 'assertCollectionExists':
      case 'assertCollectionNotExists': {
        const names = (
          await this.internal
            .db(String(args.databaseName))
            .listCollections({}, { nameOnly: true })
            .toArray()
        ).map((c) => c.name);
        const exists = names.includes(String(args.collectionName));
        if (exists !== (name === 'assertCollectionExists'))
          throw new MatchError(`${name} ${String(args.collectionName)}`);
        return undefined;
      }
      default:
        throw new SkipTest(`testRunner operation ${name}`);
    }
  }

  checkEvents(expectations: Document[] | undefined): void {
    for (const exp of expectations ?? []) {
      if (exp.eventType !== undefined && exp.eventType !== 'command')
        throw new SkipTest(`${String(exp.eventType)} events`);
      const entity = this.clients.get(String(exp.client));
      if (!entity) throw new MatchError(`unknown client ${String(exp.client)}`);
      const actual = entity.events;
      const expected = exp.events as Document[];
      if (
        actual.length < expected.length ||
        (actual.length > expected.length && exp.ignoreExtraEvents !== true)
      ) {
        throw new MatchError(
          `expected ${expected.length} events, got ${actual.length}: ${actual.map((a) => `${a.type}:${a.event.commandName}`).join(', ')}`,
        );
      }
      expected.forEach((e, i) => {
        const type = Object.keys(e)[0];
        const spec = e[type] as Document;
        const got = actual[i];
        if (got.type !== type)
          throw new MatchError(
            `event ${i}: expected ${type}, got ${got.type} (${got.event.commandName})`,
          );
        if (spec.commandName !== undefined && spec.commandName !== got.event.commandName)
          throw new MatchError(
            `event ${i}: expected command ${String(spec.commandName)}, got ${got.event.commandName}`,
          );
        if (
          spec.databaseName !== undefined &&
          'databaseName' in got.event &&
          spec.databaseName !== got.event.databaseName
        )
          throw new MatchError(`event ${i}: database ${got.event.databaseName}`);
        if (spec.command !== undefined)
          match(
            spec.command,
            (got.event as CommandStartedEvent).command,
            this.matchCtx,
            `$event[${i}].command`,
            true,
          );
        if (spec.reply !== undefined)
          match(
            spec.reply,
            (got.event as CommandSucceededEvent).reply,
            this.matchCtx,
            `$event[${i}].reply`,
            true,
          );
      });
    }
  }

  async checkOutcome(outcome: Document[] | undefined): Promise<void> {
    for (const o of outcome ?? []) {
      const docs = await this.internal
        .db(String(o.databaseName))
        .collection(String(o.collectionName))
        .find({}, { sort: { _id: 1 } })
        .toArray();
      match(o.documents, docs, this.matchCtx, `$outcome.${String(o.collectionName)}`, false);
    }
  }

  async close(): Promise<void> {
    await this.internal
      .db('admin')
      .command({ configureFailPoint: 'failCommand', mode: 'off' })
      .catch(() => undefined);
    for (const c of this.clients.values()) await c.client.close(true).catch(() => undefined);
  }
}

function isDb(v: unknown): v is Db {
  return (
    isDoc(v) &&
    typeof (v as { collection?: unknown }).collection === 'function' &&
    typeof (v as { databaseName?: unknown }).databaseName === 'string'
  );
}

function bulkResult(r: {
  insertedCount: number;
  matchedCount: number;
  modifiedCount: number;
  deletedCount: number;
  upsertedCount: number;
  upsertedIds: unknown;
  insertedIds: unknown;
}): Document {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: r.upsertedIds,
    insertedIds: r.insertedIds,
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function runTest(
  uri: string,
  internal: MongoClient,
  file: Document,
  test: Document,
): Promise<Outcome> {
  if (typeof test.skipReason === 'string')
    return { status: 'skip', reason: `skipReason: ${test.skipReason}` };
  const unmet =
    requirementsUnmet(file.runOnRequirements) ?? requirementsUnmet(test.runOnRequirements);
  if (unmet)
    return { status: 'skip', reason: `runOnRequirements not met by a 7.0 standalone: ${unmet}` };
  const run = new TestRun(uri, internal);
  try {
    await withTimeout(
      (async () => {
        await run.createEntities((file.createEntities as Document[] | undefined) ?? []);
        await run.initialData(file.initialData as Document[] | undefined);
        for (const op of (test.operations as Document[] | undefined) ?? [])
          await run.runOperation(op);
        run.checkEvents(test.expectEvents as Document[] | undefined);
        await run.checkOutcome(test.outcome as Document[] | undefined);
      })(),
      15_000,
    );
    return { status: 'pass' };
  } catch (e) {
    if (e instanceof SkipTest)
      return { status: 'fail', error: `runner does not support: ${e.message}` };
    return { status: 'fail', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    await run.close();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const update = argv.includes('--update');
  const verbose = argv.includes('--verbose');
  const filterIdx = argv.indexOf('--filter');
  const filter = filterIdx >= 0 ? argv[filterIdx + 1] : undefined;
  const specDir = process.env.MONGO_SPEC_DIR;
  if (!specDir || !fs.existsSync(specDir)) {
    console.log(
      `conformance: skipped (MONGO_SPEC_DIR ${specDir ? `'${specDir}' does not exist` : 'is not set'}; point it at the CRUD unified spec tests folder)`,
    );
    return 0;
  }
  const expectations = (
    fs.existsSync(EXPECTATIONS) ? JSON.parse(fs.readFileSync(EXPECTATIONS, 'utf8')) : {}
  ) as Record<string, Expectation>;
  const server = await EmbeddedMongo.start({ port: 0, enableTestCommands: true });
  const internal = await MongoClient.connect(server.uri);
  const results: Record<string, Expectation> = {};
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const regressions: string[] = [];
  try {
    const files = fs
      .readdirSync(specDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    for (const f of files) {
      const file = EJSON.parse(fs.readFileSync(path.join(specDir, f), 'utf8'), {
        relaxed: true,
      }) as Document;
      // No state may leak from one test file into the next (files without initialData reuse namespaces).
      const dbs = await internal.db('admin').admin().listDatabases({ nameOnly: true });
      for (const d of dbs.databases)
        if (!['admin', 'config', 'local'].includes(d.name))
          await internal.db(d.name).dropDatabase();
      let fp = 0;
      let ff = 0;
      let fs_ = 0;
      for (const test of file.tests as Document[]) {
        const key = `${f} › ${String(test.description)}`;
        if (filter && !key.includes(filter)) continue;
        const expected = expectations[key];
        const outcome = await runTest(server.uri, internal, file, test);
        if (outcome.status === 'pass') {
          results[key] = 'pass';
          if (expected === undefined || expected === 'pass') {
            passed++;
            fp++;
          } else {
            skipped++;
            fs_++;
            console.log(`  note: ${key} is expected to be skipped (${expected.skip}) but passes`);
          }
        } else if (outcome.status === 'skip') {
          results[key] = { skip: outcome.reason };
          skipped++;
          fs_++;
          if (expected === 'pass') {
            regressions.push(`${key}: expected pass, skipped (${outcome.reason})`);
          }
        } else {
          const known = expected !== undefined && expected !== 'pass' ? expected : undefined;
          results[key] = known ?? { skip: `FAILS: ${outcome.error.split('\n')[0]}` };
          if (known) {
            skipped++;
            fs_++;
            if (verbose) console.log(`  skip ${key}: ${known.skip}\n    (${outcome.error})`);
          } else {
            failed++;
            ff++;
            regressions.push(
              `${key}: ${expected === undefined ? 'not in expectations file' : 'expected pass'}: ${outcome.error}`,
            );
          }
        }
        if (expected === undefined && outcome.status !== 'fail' && !update) {
          regressions.push(`${key}: not in expectations file (${outcome.status})`);
        }
      }
      if (fp + ff + fs_ > 0) console.log(`${f}: ${fp} passed, ${ff} failed, ${fs_} skipped`);
    }
  } finally {
    await internal.close();
    await server.stop();
  }
  if (update) {
    const merged = filter ? { ...expectations, ...results } : results;
    const sorted = Object.fromEntries(
      Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    fs.writeFileSync(EXPECTATIONS, `${JSON.stringify(sorted, null, 2)}\n`);
    console.log(`updated ${EXPECTATIONS}`);
  }
  for (const r of regressions) console.log(`REGRESSION ${r}`);
  console.log(`conformance: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return regressions.length > 0 && !update ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
