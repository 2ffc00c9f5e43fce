import { type Document, ObjectId } from 'bson';
import { ErrorCodes, MongoCommandError, mongoError, toMongoError } from '../errors';
import { compareValues, valueKey } from '../indexes/compare';
import { deepClone, isPlainObject, pathValues } from '../indexes/paths';
import { type Match, runQuery, type PlanResult } from '../indexes/planner';
import {
  applyOperatorUpdate,
  applyPipelineUpdate,
  compileFilter,
  projectDocs,
  runPipeline,
  validateUpdateOperators,
} from '../query/engine';
import { type Collection } from '../storage/collection';
import { carryWireBytes, RawDocument } from '../storage/raw-document';
import { validateCollectionName } from '../storage/storage';
import {
  type CommandContext,
  type CommandHandler,
  optionalDoc,
  optionalNumber,
  refuseCollation,
  requireString,
} from './context';

function nonNegative(cmd: Document, field: string): number | undefined {
  const v = optionalNumber(cmd, field);
  if (v !== undefined && v < 0) {
    throw mongoError(51024, `BSON field '${field}' value must be >= 0, actual value '${v}'`);
  }
  return v;
}

/** `let` values are expressions evaluated once per command (e.g. `{$literal: 'x'}` becomes 'x'). */
export function letVars(cmd: Document): Document | undefined {
  const raw = optionalDoc(cmd, 'let');
  if (!raw || Object.keys(raw).length === 0) return raw;
  return runPipeline([{}], [{ $replaceWith: raw }], () => [])[0];
}

export interface FindSpec {
  filter?: Document;
  sort?: Document;
  hint?: unknown;
  skip: number;
  limit: number;
  let?: Document;
}

/**
 * Runs a query through the planner and applies skip/limit (projection is left to the caller).
 * `matches` hold each document's bytes and decode it on demand; `docs` decodes them all.
 */
export function executeFind(
  coll: Collection | undefined,
  spec: FindSpec,
): { matches: Match[]; readonly docs: Document[]; plan: PlanResult } {
  const plan = runQuery(coll, {
    filter: spec.filter,
    compile: () => compileFilter(spec.filter, spec.let),
    sort: spec.sort,
    hint: spec.hint,
    stopAfter: spec.limit > 0 ? spec.skip + spec.limit : 0,
  });
  let matches = plan.matches;
  if (spec.skip > 0) matches = matches.slice(spec.skip);
  if (spec.limit > 0) matches = matches.slice(0, spec.limit);
  plan.stats.nReturned = matches.length;
  return {
    matches,
    get docs() {
      return matches.map((m) => m.doc);
    },
    plan,
  };
}

export function parseFind(
  cmd: Document,
): FindSpec & { projection?: Document; batchSize?: number; singleBatch: boolean } {
  refuseCollation(cmd);
  for (const f of ['min', 'max', 'returnKey', 'showRecordId', 'tailable', 'awaitData']) {
    if (
      cmd[f] !== undefined &&
      cmd[f] !== false &&
      !(isPlainObject(cmd[f]) && Object.keys(cmd[f]).length === 0)
    ) {
      throw mongoError(
        ErrorCodes.NotImplemented,
        `find option '${f}' is not supported by the embedded server`,
      );
    }
  }
  let limit = optionalNumber(cmd, 'limit') ?? 0;
  const singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    throw mongoError(51024, `BSON field 'limit' value must be >= 0, actual value '${limit}'`);
  }
  const batchSize = nonNegative(cmd, 'batchSize');
  limit = Math.trunc(limit);
  return {
    filter: optionalDoc(cmd, 'filter'),
    sort: optionalDoc(cmd, 'sort'),
    projection: optionalDoc(cmd, 'projection'),
    hint: cmd.hint,
    skip: nonNegative(cmd, 'skip') ?? 0,
    limit,
    batchSize,
    singleBatch,
    let: letVars(cmd),
  };
}

const find: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'find');
  const spec = parseFind(cmd);
  const coll = ctx.storage.collection(ctx.db, name);
  const { matches } = executeFind(coll, spec);
  // Without a projection the reply carries the stored bytes as they are.
  const out: (Document | RawDocument)[] =
    spec.projection && Object.keys(spec.projection).length > 0
      ? projectDocs(
          matches.map((m) => m.doc),
          spec.projection,
        )
      : matches.map((m) => new RawDocument(m.raw));
  return {
    cursor: ctx.cursors.firstBatch(
      `${ctx.db}.${name}`,
      out,
      spec.batchSize,
      spec.singleBatch,
      ctx.connectionId,
    ),
    ok: 1,
  };
};

const count: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'count');
  refuseCollation(cmd);
  const coll = ctx.storage.collection(ctx.db, name);
  const query = optionalDoc(cmd, 'query');
  const skip = nonNegative(cmd, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  if (!query || Object.keys(query).length === 0) {
    const n = Math.max(0, (coll?.size ?? 0) - skip);
    return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
  }
  const { matches } = executeFind(coll, { filter: query, hint: cmd.hint, skip, limit });
  return { n: matches.length, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'distinct');
  const key = requireString(cmd, 'key');
  refuseCollation(cmd);
  const coll = ctx.storage.collection(ctx.db, name);
  const { docs } = executeFind(coll, {
    filter: optionalDoc(cmd, 'query'),
    hint: cmd.hint,
    skip: 0,
    limit: 0,
  });
  const seen = new Map<string, unknown>();
  for (const d of docs) {
    for (const v of pathValues(d, key).values) {
      if (v === undefined) continue;
      const k = valueKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

/** Puts `_id` first (generating an ObjectId when absent), like mongod does on insert. */
export function withId(doc: Document): Document {
  if (doc._id !== undefined && Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc as { _id?: unknown };
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

function checkIdValue(id: unknown): void {
  if (Array.isArray(id))
    throw mongoError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
  if (id instanceof RegExp)
    throw mongoError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type regex");
  if (isPlainObject(id)) {
    const bad = Object.keys(id).find((k) => k.startsWith('$'));
    if (bad)
      throw mongoError(
        ErrorCodes.DollarPrefixedFieldName,
        `_id fields may not contain '$'-prefixed fields: ${bad} is not valid for storage.`,
      );
  }
}

function statements(cmd: Document, field: string): Document[] {
  const v: unknown = cmd[field];
  if (!Array.isArray(v))
    throw mongoError(
      ErrorCodes.FailedToParse,
      `BSON field '${Object.keys(cmd)[0]}.${field}' is missing but a required field`,
    );
  if (v.length === 0)
    throw mongoError(
      ErrorCodes.InvalidLength,
      'Write batch sizes must be between 1 and 100000. Got 0 operations.',
    );
  if (v.length > 100_000)
    throw mongoError(
      ErrorCodes.InvalidLength,
      `Write batch sizes must be between 1 and 100000. Got ${v.length} operations.`,
    );
  return v as Document[];
}

const UPDATE_STATEMENT_FIELDS = new Set([
  'q',
  'u',
  'upsert',
  'multi',
  'arrayFilters',
  'hint',
  'collation',
  'c',
  'upsertSupplied',
]);
const DELETE_STATEMENT_FIELDS = new Set(['q', 'limit', 'hint', 'collation']);

/** Unknown statement fields fail the whole command at parse time, as in mongod (IDL "unknown field"). */
function checkStatementFields(
  cmdName: string,
  field: string,
  stmts: Document[],
  allowed: Set<string>,
): void {
  for (const s of stmts) {
    if (!isPlainObject(s)) continue;
    for (const k of Object.keys(s)) {
      if (!allowed.has(k))
        throw mongoError(40415, `BSON field '${cmdName}.${field}.${k}' is an unknown field.`);
    }
  }
}

function rejectTxn(cmd: Document): void {
  if (
    cmd.txnNumber !== undefined ||
    cmd.startTransaction !== undefined ||
    cmd.autocommit !== undefined
  ) {
    throw mongoError(
      ErrorCodes.IllegalOperation,
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
}

/** Shared loop of insert/update/delete: ordered stops at the first error, unordered collects them all. */
function runStatements(
  stmts: Document[],
  ordered: boolean,
  each: (stmt: Document, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (let i = 0; i < stmts.length; i++) {
    try {
      each(stmts[i], i);
    } catch (e) {
      const err = toMongoError(e);
      writeErrors.push(err.toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

const insert: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, 'insert'));
  rejectTxn(cmd);
  const docs = statements(cmd, 'documents');
  const ordered = cmd.ordered !== false;
  const coll = ctx.storage.ensureCollection(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(docs, ordered, (raw) => {
    if (!isPlainObject(raw))
      throw mongoError(ErrorCodes.TypeMismatch, 'document to insert must be an object');
    const doc = withId(raw);
    carryWireBytes(raw, doc);
    checkIdValue(doc._id);
    ctx.storage.insert(coll, doc);
    n++;
  });
  const res: Document = { n, ok: 1 };
  if (writeErrors.length) res.writeErrors = writeErrors;
  return res;
};

/** Equality fields of a filter that seed an upserted document (`{a: 1, 'b.c': 2, $and: [...]}`). */
function upsertSeed(filter: Document | undefined): Document {
  const seed: Document = {};
  const visit = (f: Document): void => {
    for (const k of Object.keys(f)) {
      const v: unknown = f[k];
      if (k === '$and' && Array.isArray(v)) {
        for (const s of v) if (isPlainObject(s)) visit(s);
        continue;
      }
      if (k.startsWith('$')) continue;
      let value: unknown;
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if (!('$eq' in v)) continue;
        value = v.$eq;
      } else value = v;
      if (value instanceof RegExp) continue;
      setPath(seed, k, deepClone(value));
    }
  };
  if (filter) visit(filter);
  return seed;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next: unknown = cur[parts[i]];
    if (!isPlainObject(next)) cur[parts[i]] = {};
    cur = cur[parts[i]] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}

type UpdateKind = 'operator' | 'replacement' | 'pipeline';

function updateKind(u: unknown): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  if (!isPlainObject(u))
    throw mongoError(
      ErrorCodes.FailedToParse,
      'Update argument must be either an object or an array',
    );
  const keys = Object.keys(u);
  if (keys.length > 0 && keys[0].startsWith('$')) {
    validateUpdateOperators(u);
    return 'operator';
  }
  return 'replacement';
}

function checkReplacement(u: Document): void {
  for (const k of Object.keys(u)) {
    if (k.startsWith('$')) {
      throw mongoError(
        ErrorCodes.DollarPrefixedFieldName,
        `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
}

interface UpdateOptions {
  filter?: Document;
  arrayFilters?: Document[];
  let?: Document;
}

/** Update operators `simpleUpdate` applies itself. */
const SIMPLE_UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$min', '$max', '$setOnInsert']);

/**
 * The common operator updates — `$set`, `$unset`, `$inc`, `$min`, `$max`, `$setOnInsert` on
 * top-level fields other than `_id` — applied directly with MongoDB's semantics (BSON order for
 * `$min`/`$max`), with whether anything changed; undefined when the update needs the general path
 * (dotted or positional paths, other operators, `$inc` on a non-number, which that path refuses).
 * The room summary's `$max` runs on every message, and going through mingo's updater (a clone, a
 * compiled update, a full-document comparison) cost it more than the rest of the command.
 */
export function simpleUpdate(
  old: Document,
  update: Document,
  isInsert: boolean,
): { next: Document; changed: boolean } | undefined {
  for (const operator of Object.keys(update)) {
    if (!SIMPLE_UPDATE_OPERATORS.has(operator)) return undefined;
    const fields: unknown = update[operator];
    if (!isPlainObject(fields)) return undefined;
    for (const field of Object.keys(fields)) {
      if (field === '' || field === '_id' || field.includes('.') || field.startsWith('$'))
        return undefined;
      if (operator === '$inc') {
        const by: unknown = fields[field];
        const current: unknown = old[field];
        if (typeof by !== 'number' || (current !== undefined && typeof current !== 'number'))
          return undefined;
      }
    }
  }
  const next: Document = { ...old };
  let changed = false;
  for (const operator of Object.keys(update)) {
    if (operator === '$setOnInsert' && !isInsert) continue;
    const fields = update[operator] as Document;
    for (const field of Object.keys(fields)) {
      const value: unknown = fields[field];
      const current: unknown = next[field];
      const present = Object.prototype.hasOwnProperty.call(next, field);
      switch (operator) {
        case '$set':
        case '$setOnInsert':
          if (!present || valueKey(current) !== valueKey(value)) {
            next[field] = deepClone(value);
            changed = true;
          }
          break;
        case '$unset':
          if (present) {
            delete next[field];
            changed = true;
          }
          break;
        case '$inc':
          if (!present || value !== 0) {
            next[field] = ((current as number | undefined) ?? 0) + (value as number);
            changed = true;
          }
          break;
        case '$min':
        case '$max': {
          const order = compareValues(value, current);
          if (!present || (operator === '$max' ? order > 0 : order < 0)) {
            next[field] = deepClone(value);
            changed = true;
          }
          break;
        }
      }
    }
  }
  return { next, changed };
}

/** Computes the updated version of `old`; returns undefined when the update changes nothing. */
export function computeUpdate(
  old: Document,
  u: unknown,
  kind: UpdateKind,
  opts: UpdateOptions,
  isInsert: boolean,
): Document {
  let next: Document;
  if (kind === 'replacement') {
    const rep = u as Document;
    checkReplacement(rep);
    const oldId: unknown = old._id;
    next = rep._id === undefined ? { _id: oldId, ...deepClone(rep) } : deepClone(rep);
    if (old._id !== undefined && compareValues(next._id, old._id) !== 0) {
      throw mongoError(
        ErrorCodes.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(next._id)}`,
      );
    }
  } else if (kind === 'pipeline') {
    next = applyPipelineUpdate(deepClone(old), u as Document[], opts.let);
    // An update pipeline cannot remove _id: mongod puts the original one back.
    if (next._id === undefined && old._id !== undefined)
      next = { _id: old._id as unknown, ...next };
  } else {
    next = deepClone(old);
    applyOperatorUpdate(next, u as Document, {
      arrayFilters: opts.arrayFilters,
      filter: opts.filter,
      isInsert,
    });
  }
  if (
    !isInsert &&
    old._id !== undefined &&
    (next._id === undefined || compareValues(next._id, old._id) !== 0)
  ) {
    throw mongoError(
      ErrorCodes.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return withId(next);
}

/** Applies one update statement; returns match/modify counts and the upserted _id. */
export function updateOne(
  ctx: CommandContext,
  coll: Collection,
  stmt: {
    q?: Document;
    u: unknown;
    multi: boolean;
    upsert: boolean;
    arrayFilters?: Document[];
    hint?: unknown;
    sort?: Document;
    let?: Document;
  },
): { n: number; nModified: number; upsertedId?: unknown; before?: Document; after?: Document } {
  const kind = updateKind(stmt.u);
  if (stmt.multi && kind === 'replacement')
    throw mongoError(
      ErrorCodes.FailedToParse,
      'multi update is not supported for replacement-style update',
    );
  const { plan } = executeFind(coll, {
    filter: stmt.q,
    hint: stmt.hint,
    sort: stmt.sort,
    skip: 0,
    limit: stmt.multi ? 0 : 1,
    let: stmt.let,
  });
  const matches = stmt.multi ? plan.matches : plan.matches.slice(0, 1);
  const opts: UpdateOptions = { filter: stmt.q, arrayFilters: stmt.arrayFilters, let: stmt.let };
  let nModified = 0;
  let before: Document | undefined;
  let after: Document | undefined;
  for (const m of matches) {
    const old = m.doc;
    const simple =
      kind === 'operator' && !stmt.arrayFilters?.length
        ? simpleUpdate(old, stmt.u as Document, false)
        : undefined;
    const next = simple ? simple.next : computeUpdate(old, stmt.u, kind, opts, false);
    before = old;
    after = old;
    if (simple ? simple.changed : valueKey(next) !== valueKey(old)) {
      ctx.storage.replace(coll, m.rid, next, old);
      after = next;
      nModified++;
    }
  }
  if (matches.length > 0 || !stmt.upsert) return { n: matches.length, nModified, before, after };
  const seed = kind === 'replacement' ? {} : upsertSeed(stmt.q);
  if (kind === 'replacement') {
    const s = upsertSeed(stmt.q);
    const sid: unknown = s._id;
    if (sid !== undefined) seed._id = sid;
  }
  let doc = computeUpdate(seed, stmt.u, kind, opts, true);
  if (seed._id !== undefined && compareValues(doc._id, seed._id) !== 0) {
    throw mongoError(
      ErrorCodes.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  doc = withId(doc);
  checkIdValue(doc._id);
  ctx.storage.insert(coll, doc);
  return { n: 1, nModified: 0, upsertedId: doc._id, after: doc };
}

function arrayFiltersOf(stmt: Document): Document[] | undefined {
  const af: unknown = stmt.arrayFilters;
  if (af === undefined || af === null) return undefined;
  if (!Array.isArray(af))
    throw mongoError(ErrorCodes.TypeMismatch, 'arrayFilters must be an array');
  for (const f of af) compileFilter(f as Document);
  return af as Document[];
}

const update: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, 'update'));
  rejectTxn(cmd);
  const stmts = statements(cmd, 'updates');
  checkStatementFields('update', 'updates', stmts, UPDATE_STATEMENT_FIELDS);
  const ordered = cmd.ordered !== false;
  const vars = letVars(cmd);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  let coll = ctx.storage.collection(ctx.db, name);
  const writeErrors = runStatements(stmts, ordered, (stmt, index) => {
    if (!isPlainObject(stmt))
      throw mongoError(ErrorCodes.TypeMismatch, 'update statement must be an object');
    refuseCollation(stmt);
    const q = optionalDoc(stmt, 'q') ?? {};
    const upsert = stmt.upsert === true;
    if (!coll && !upsert) {
      updateKind(stmt.u);
      compileFilter(q, vars);
      return;
    }
    coll ??= ctx.storage.ensureCollection(ctx.db, name);
    const r = updateOne(ctx, coll, {
      q,
      u: stmt.u,
      multi: stmt.multi === true,
      upsert,
      arrayFilters: arrayFiltersOf(stmt),
      hint: stmt.hint,
      let: vars,
    });
    n += r.n;
    nModified += r.nModified;
    if (r.upsertedId !== undefined) upserted.push({ index, _id: r.upsertedId });
  });
  const res: Document = { n, nModified, ok: 1 };
  if (upserted.length) res.upserted = upserted;
  if (writeErrors.length) res.writeErrors = writeErrors;
  return res;
};

const del: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, 'delete'));
  rejectTxn(cmd);
  const stmts = statements(cmd, 'deletes');
  checkStatementFields('delete', 'deletes', stmts, DELETE_STATEMENT_FIELDS);
  const ordered = cmd.ordered !== false;
  const vars = letVars(cmd);
  const coll = ctx.storage.collection(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(stmts, ordered, (stmt) => {
    if (!isPlainObject(stmt))
      throw mongoError(ErrorCodes.TypeMismatch, 'delete statement must be an object');
    refuseCollation(stmt);
    const limit: unknown = stmt.limit;
    if (limit !== 0 && limit !== 1)
      throw mongoError(
        ErrorCodes.FailedToParse,
        'The limit field in delete objects must be 0 or 1. Got ' + String(limit),
      );
    const q = optionalDoc(stmt, 'q') ?? {};
    const { plan } = executeFind(coll, {
      filter: q,
      hint: stmt.hint,
      skip: 0,
      limit: limit === 1 ? 1 : 0,
      let: vars,
    });
    if (!coll) return;
    const matches = limit === 1 ? plan.matches.slice(0, 1) : plan.matches;
    for (const m of matches) ctx.storage.remove(coll, m.rid, m.doc);
    n += matches.length;
  });
  const res: Document = { n, ok: 1 };
  if (writeErrors.length) res.writeErrors = writeErrors;
  return res;
};

const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, Object.keys(cmd)[0]));
  rejectTxn(cmd);
  refuseCollation(cmd);
  const remove = cmd.remove === true;
  const hasUpdate = cmd.update !== undefined;
  const returnNew = cmd.new === true;
  if (remove && hasUpdate)
    throw mongoError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
  if (remove && returnNew)
    throw mongoError(
      ErrorCodes.FailedToParse,
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  if (!remove && !hasUpdate)
    throw mongoError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  if (remove && cmd.upsert === true)
    throw mongoError(ErrorCodes.FailedToParse, 'Cannot specify both upsert=true and remove=true');
  const query = optionalDoc(cmd, 'query') ?? {};
  const sort = optionalDoc(cmd, 'sort');
  const fields = optionalDoc(cmd, 'fields');
  const vars = letVars(cmd);
  let coll = ctx.storage.collection(ctx.db, name);
  const project = (d: Document | undefined): Document | null =>
    d ? projectDocs([d], fields)[0] : null;
  if (remove) {
    const { plan } = executeFind(coll, {
      filter: query,
      sort,
      hint: cmd.hint,
      skip: 0,
      limit: 1,
      let: vars,
    });
    const m = plan.matches[0];
    if (!m || !coll) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    ctx.storage.remove(coll, m.rid, m.doc);
    return { lastErrorObject: { n: 1 }, value: project(m.doc), ok: 1 };
  }
  const upsert = cmd.upsert === true;
  if (!coll) {
    if (!upsert) {
      updateKind(cmd.update);
      compileFilter(query, vars);
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    }
    coll = ctx.storage.ensureCollection(ctx.db, name);
  }
  let r: ReturnType<typeof updateOne>;
  try {
    r = updateOne(ctx, coll, {
      q: query,
      u: cmd.update,
      multi: false,
      upsert,
      arrayFilters: arrayFiltersOf(cmd),
      hint: cmd.hint,
      sort,
      let: vars,
    });
  } catch (e) {
    throw e instanceof MongoCommandError ? e : toMongoError(e);
  }
  const lastErrorObject: Document = {
    n: r.n,
    updatedExisting: r.upsertedId === undefined && r.n > 0,
  };
  if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
  const value =
    r.upsertedId !== undefined ? (returnNew ? r.after : undefined) : returnNew ? r.after : r.before;
  return { lastErrorObject, value: project(value), ok: 1 };
};

export const crudCommands: Record<string, CommandHandler> = {
  find,
  getMore: (cmd, ctx) => ctx.cursors.getMore(cmd, ctx.db),
  killCursors: (cmd, ctx) => {
    requireString(cmd, 'killCursors');
    const ids: unknown = cmd.cursors;
    if (!Array.isArray(ids))
      throw mongoError(
        ErrorCodes.FailedToParse,
        "BSON field 'killCursors.cursors' is missing but a required field",
      );
    return ctx.cursors.kill(ids);
  },
  count,
  distinct,
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};
