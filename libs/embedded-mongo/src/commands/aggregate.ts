import { Binary, type Document, ObjectId } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { compareValues } from '../indexes/compare';
import { isPlainObject, getPath } from '../indexes/paths';
import { runPipeline } from '../query/engine';
import { validateCollectionName, validateDbName } from '../storage/storage';
import { executeFind, letVars, withId } from './crud';
import {
  type CommandContext,
  type CommandHandler,
  optionalDoc,
  optionalNumber,
  refuseCollation,
} from './context';

function stageName(stage: unknown): string {
  if (!isPlainObject(stage))
    throw mongoError(
      ErrorCodes.TypeMismatch,
      "Each element of the 'pipeline' array must be an object",
    );
  const keys = Object.keys(stage);
  if (keys.length !== 1)
    throw mongoError(
      40323,
      'A pipeline stage specification object must contain exactly one field.',
    );
  return keys[0];
}

/** Stages this server refuses even though mingo might accept them, because their semantics need a real server. */
const REFUSED_STAGES = new Set([
  '$changeStream',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$planCacheStats',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$geoNear',
  '$graphLookup',
  '$unionWith',
  '$listSearchIndexes',
  '$shardedDataDistribution',
  '$changeStreamSplitLargeEvent',
  '$listSampledQueries',
]);

const OUTPUT_STAGES = new Set(['$out', '$merge']);

interface Output {
  stage: '$out' | '$merge';
  spec: unknown;
}

function splitPipeline(pipeline: Document[]): { stages: Document[]; output?: Output } {
  const stages: Document[] = [];
  let output: Output | undefined;
  pipeline.forEach((stage, i) => {
    const name = stageName(stage);
    if (REFUSED_STAGES.has(name)) {
      throw mongoError(
        ErrorCodes.NotImplemented,
        `pipeline stage ${name} is not supported by the embedded server`,
      );
    }
    if (OUTPUT_STAGES.has(name)) {
      if (i !== pipeline.length - 1)
        throw mongoError(40601, `${name} can only be the final stage in the pipeline`);
      output = { stage: name as Output['stage'], spec: stage[name] };
      return;
    }
    stages.push(stage);
  });
  return { stages, output };
}

function targetOf(spec: unknown, defaultDb: string, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: defaultDb, coll: validateCollectionName(spec) };
  if (isPlainObject(spec)) {
    const target: unknown = stage === '$merge' ? spec.into : spec;
    if (typeof target === 'string') return { db: defaultDb, coll: validateCollectionName(target) };
    if (isPlainObject(target)) {
      const db = target.db === undefined ? defaultDb : validateDbName(target.db);
      return { db, coll: validateCollectionName(target.coll) };
    }
  }
  throw mongoError(ErrorCodes.FailedToParse, `${stage} requires a collection name or {db, coll}`);
}

function writeOutput(ctx: CommandContext, out: Output, docs: Document[]): void {
  const target = targetOf(out.spec, ctx.db, out.stage);
  if (out.stage === '$out') {
    const old = ctx.storage.collection(target.db, target.coll);
    const specs = old ? old.indexes.slice(1).map((i) => i.spec) : [];
    // Validate the whole result against the target's unique indexes before replacing anything.
    const ids = new Set<string>();
    for (const d of docs) {
      const doc = withId(d);
      const key = JSON.stringify(doc._id);
      if (ids.has(key))
        throw mongoError(
          ErrorCodes.DuplicateKey,
          `E11000 duplicate key error collection: ${target.db}.${target.coll} index: _id_ dup key: { _id: ${key} }`,
        );
      ids.add(key);
    }
    if (old) ctx.storage.dropCollection(target.db, target.coll);
    const coll = ctx.storage.createCollection(target.db, target.coll);
    for (const s of specs) ctx.storage.createIndex(coll, s);
    for (const d of docs) ctx.storage.insert(coll, withId(d));
    return;
  }
  const spec = typeof out.spec === 'string' ? { into: out.spec } : (out.spec as Document);
  const on =
    spec.on === undefined
      ? ['_id']
      : Array.isArray(spec.on)
        ? (spec.on as string[])
        : [String(spec.on)];
  const whenMatched: unknown = spec.whenMatched ?? 'merge';
  const whenNotMatched: unknown = spec.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string')
    throw mongoError(
      ErrorCodes.NotImplemented,
      '$merge with a whenMatched pipeline is not supported by the embedded server',
    );
  if (spec.let !== undefined)
    throw mongoError(
      ErrorCodes.NotImplemented,
      '$merge let is not supported by the embedded server',
    );
  const coll = ctx.storage.ensureCollection(target.db, target.coll);
  for (const raw of docs) {
    const d = on.includes('_id') ? withId(raw) : raw;
    const filter: Document = {};
    for (const f of on) filter[f] = getPath(d, f) ?? null;
    const existing = executeFind(coll, { filter, skip: 0, limit: 1 }).plan.matches[0];
    if (existing) {
      if (whenMatched === 'fail') {
        const keyPattern: Document = {};
        for (const f of on) keyPattern[f] = 1;
        throw mongoError(
          ErrorCodes.DuplicateKey,
          `E11000 duplicate key error collection: ${coll.ns} index: ${on.length === 1 && on[0] === '_id' ? '_id_' : on.map((f) => `${f}_1`).join('_')} dup key: ${JSON.stringify(filter)}`,
          { keyPattern, keyValue: filter },
        );
      }
      if (whenMatched === 'keepExisting') continue;
      const existingId: unknown = existing.doc._id;
      const next: Document | undefined =
        whenMatched === 'replace'
          ? { ...d, _id: existingId }
          : whenMatched === 'merge'
            ? { ...existing.doc, ...d, _id: existingId }
            : undefined;
      if (!next)
        throw mongoError(
          ErrorCodes.BadValue,
          `Enumeration value '${whenMatched}' for field 'whenMatched' is not a valid value.`,
        );
      if (
        compareValues(d._id ?? existing.doc._id, existing.doc._id) !== 0 &&
        on.every((f) => f !== '_id') &&
        d._id !== undefined
      ) {
        throw mongoError(
          ErrorCodes.ImmutableField,
          '$merge failed to update the matching document, did you attempt to modify the _id or the shard key?',
        );
      }
      ctx.storage.replace(coll, existing.rid, next);
    } else if (whenNotMatched === 'insert') {
      ctx.storage.insert(coll, withId(d._id === undefined ? { ...d, _id: new ObjectId() } : d));
    } else if (whenNotMatched === 'fail') {
      throw mongoError(
        13113,
        `$merge could not find a matching document in the target collection for at least one document in the source collection`,
      );
    } else if (whenNotMatched !== 'discard') {
      throw mongoError(
        ErrorCodes.BadValue,
        `Enumeration value '${String(whenNotMatched)}' for field 'whenNotMatched' is not a valid value.`,
      );
    }
  }
}

/** Runs a pipeline against a collection, pushing a leading $match (+$sort/$limit) down to the planner. */
export function runAggregation(
  ctx: CommandContext,
  collName: string | null,
  pipeline: Document[],
  vars?: Document,
  hint?: unknown,
): { docs: Document[]; output?: Output } {
  const { stages, output } = splitPipeline(pipeline);
  const resolver = (name: string): Document[] => [
    ...(ctx.storage.collection(ctx.db, name)?.documents() ?? []),
  ];
  let source: Document[];
  let rest = stages;
  if (collName === null) {
    source = [];
    const first = stages[0];
    if (first && stageName(first) === '$listLocalSessions') {
      // Sessions are tracked from the lsid of incoming commands; there are no users, so all are "local".
      source = [...ctx.sessions.values()].map((s) => ({
        _id: { id: s.id, uid: new Binary(Buffer.alloc(32)) },
        lastUse: new Date(s.lastUse),
      }));
      rest = stages.slice(1);
    } else if (!first || stageName(first) !== '$documents') {
      throw mongoError(
        ErrorCodes.InvalidNamespace,
        "{aggregate: 1} is not valid for '$match'; a collection is required.",
      );
    }
  } else {
    const coll = ctx.storage.collection(ctx.db, collName);
    let filter: Document | undefined;
    let sort: Document | undefined;
    let limit = 0;
    let i = 0;
    if (stages[i] && stageName(stages[i]) === '$match' && !containsExpr(stages[i].$match))
      filter = stages[i++].$match as Document;
    if (stages[i] && stageName(stages[i]) === '$sort' && isPlainObject(stages[i].$sort))
      sort = stages[i++].$sort as Document;
    if (
      sort &&
      stages[i] &&
      stageName(stages[i]) === '$limit' &&
      typeof stages[i].$limit === 'number'
    )
      limit = stages[i++].$limit as number;
    source = executeFind(coll, { filter, sort, hint, skip: 0, limit, let: vars }).docs;
    rest = stages.slice(i);
  }
  const docs = rest.length === 0 ? source : runPipeline(source, rest, resolver, vars);
  return { docs, output };
}

function containsExpr(m: unknown): boolean {
  return JSON.stringify(m ?? {}).includes('"$$');
}

export const aggregate: CommandHandler = (cmd, ctx) => {
  const target: unknown = cmd.aggregate;
  refuseCollation(cmd);
  if (!Array.isArray(cmd.pipeline))
    throw mongoError(
      ErrorCodes.TypeMismatch,
      "BSON field 'aggregate.pipeline' is the wrong type, expected type 'array'",
    );
  const collName = target === 1 ? null : typeof target === 'string' ? target : undefined;
  if (collName === undefined)
    throw mongoError(ErrorCodes.FailedToParse, 'Invalid aggregate namespace');
  if (cmd.explain === true)
    throw mongoError(
      ErrorCodes.NotImplemented,
      'aggregate explain is not supported by the embedded server; use the explain command',
    );
  const cursorOpt = optionalDoc(cmd, 'cursor');
  if (!cursorOpt)
    throw mongoError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  const batchSize = optionalNumber(cursorOpt, 'batchSize');
  if (batchSize !== undefined && batchSize < 0)
    throw mongoError(ErrorCodes.BadValue, 'cursor.batchSize must not be negative');
  const { docs, output } = runAggregation(
    ctx,
    collName,
    cmd.pipeline as Document[],
    letVars(cmd),
    cmd.hint,
  );
  if (output) {
    writeOutput(ctx, output, docs);
    return {
      cursor: {
        firstBatch: [],
        id: ctx.cursors.firstBatch('', [], 0, true, ctx.connectionId).id as unknown,
        ns: `${ctx.db}.${collName ?? '$cmd.aggregate'}`,
      },
      ok: 1,
    };
  }
  return {
    cursor: ctx.cursors.firstBatch(
      `${ctx.db}.${collName ?? '$cmd.aggregate'}`,
      docs,
      batchSize,
      false,
      ctx.connectionId,
    ),
    ok: 1,
  };
};
