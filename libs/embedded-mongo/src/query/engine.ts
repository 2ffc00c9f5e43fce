import { type Document, Long, Decimal128, Int32, Double } from 'bson';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import { type Options } from 'mingo/types';
import { ErrorCodes, mongoError, toMongoError } from '../errors';
import { getPath, isPlainObject } from '../indexes/paths';

/**
 * mingo configuration shared by every query: strict MongoDB semantics, no server-side JavaScript
 * ($where/$function are refused like on a hardened mongod), errors thrown rather than turned into null.
 */
function baseOptions(extra: Partial<Options> = {}): Partial<Options> {
  return { useStrictMode: true, scriptEnabled: false, failOnError: true, idKey: '_id', ...extra };
}

export type Predicate = (doc: Document) => boolean;

/** The predicate of an empty filter; the planner recognises it and reads no document for it. */
export const matchAll: Predicate = () => true;

export function compileFilter(filter: Document | undefined, variables?: Document): Predicate {
  if (filter === undefined || filter === null) return matchAll;
  if (!isPlainObject(filter)) throw mongoError(ErrorCodes.TypeMismatch, 'filter must be an object');
  if (Object.keys(filter).length === 0) return matchAll;
  try {
    const q = new Query(filter, baseOptions(variables ? { variables } : {}));
    return (doc) => {
      try {
        return q.test(doc);
      } catch (e) {
        throw toMongoError(e);
      }
    };
  } catch (e) {
    throw toMongoError(e);
  }
}

/**
 * A projection of top-level fields only, each 1/true or 0/false (inclusion or exclusion, `_id`
 * either way): `{seq: 1, _id: 0}`, `{room: 1}`. Returns which fields to keep or drop, or
 * undefined for anything else (mingo then projects, and refuses what MongoDB refuses).
 */
function simpleProjection(
  projection: Document,
): { include: boolean; fields: Set<string>; keepId: boolean } | undefined {
  let include: boolean | undefined;
  let keepId = true;
  const fields = new Set<string>();
  for (const field of Object.keys(projection)) {
    const value: unknown = projection[field];
    if (value !== 0 && value !== 1 && value !== true && value !== false) return undefined;
    if (field === '' || field.includes('.') || field.startsWith('$')) return undefined;
    const on = value === 1 || value === true;
    if (field === '_id') {
      keepId = on;
      continue;
    }
    if (include !== undefined && include !== on) return undefined;
    include = on;
    fields.add(field);
  }
  // Only `_id` named: `{_id: 1}` keeps just it, `{_id: 0}` drops just it.
  return { include: include ?? keepId, fields, keepId };
}

export function projectDocs(docs: Document[], projection: Document | undefined): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  const simple = simpleProjection(projection);
  if (simple) {
    // MongoDB keeps the document's field order, whatever the projection's.
    return docs.map((doc) => {
      const out: Document = {};
      for (const field of Object.keys(doc)) {
        const keep = field === '_id' ? simple.keepId : simple.fields.has(field) === simple.include;
        if (keep) out[field] = doc[field] as unknown;
      }
      return out;
    });
  }
  try {
    return new Query({}, baseOptions()).find<Document>(docs, projection).all();
  } catch (e) {
    throw toMongoError(e);
  }
}

export function runPipeline(
  docs: Iterable<Document>,
  pipeline: Document[],
  resolver: (name: string) => Document[],
  variables?: Document,
): Document[] {
  try {
    const agg = new Aggregator(
      pipeline,
      baseOptions({ collectionResolver: resolver, ...(variables ? { variables } : {}) }),
    );
    return agg.run<Document>(Array.isArray(docs) ? (docs as Document[]) : [...docs]);
  } catch (e) {
    throw toMongoError(e);
  }
}

/** Stages MongoDB allows in an update pipeline. */
const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export function applyPipelineUpdate(
  doc: Document,
  pipeline: Document[],
  variables?: Document,
): Document {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (!name || !UPDATE_PIPELINE_STAGES.has(name)) {
      throw mongoError(
        ErrorCodes.InvalidOptions,
        `${String(name)} is not allowed to be used within an update`,
      );
    }
  }
  const out = runPipeline([doc], pipeline, () => [], variables);
  if (out.length !== 1)
    throw mongoError(ErrorCodes.InternalError, 'update pipeline must produce exactly one document');
  return out[0];
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);

export function isNumeric(v: unknown): boolean {
  return (
    typeof v === 'number' ||
    v instanceof Long ||
    v instanceof Decimal128 ||
    v instanceof Int32 ||
    v instanceof Double
  );
}

function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (v instanceof Date) return 'date';
  if (isPlainObject(v)) return 'object';
  return typeof v;
}

/**
 * Validates an operator-style update document the way mongod's update driver does before applying
 * it, because mingo silently ignores some of these mistakes.
 */
export function validateUpdateOperators(update: Document): void {
  const paths: string[] = [];
  for (const op of Object.keys(update)) {
    if (!op.startsWith('$')) {
      throw mongoError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!UPDATE_OPERATORS.has(op)) {
      throw mongoError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    const arg: unknown = update[op];
    if (!isPlainObject(arg)) {
      throw mongoError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${bsonTypeName(arg)} instead. For example: {$mod: {<field>: ...}} not {$set: <field>}`,
      );
    }
    for (const path of Object.keys(arg)) {
      if (path === '')
        throw mongoError(ErrorCodes.EmptyFieldName, 'An empty update path is not valid.');
      if ((op === '$inc' || op === '$mul') && !isNumeric(arg[path])) {
        throw mongoError(
          ErrorCodes.TypeMismatch,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg[path])}}`,
        );
      }
      paths.push(path);
      if (op === '$rename') {
        const to: unknown = arg[path];
        if (typeof to !== 'string')
          throw mongoError(
            ErrorCodes.BadValue,
            `The 'to' field for $rename must be a string: ${path}: ${String(to)}`,
          );
        paths.push(to);
      }
    }
  }
  const norm = paths.map((p) =>
    p
      .split('.')
      .filter((s) => !s.startsWith('$'))
      .join('.'),
  );
  for (let i = 0; i < norm.length; i++) {
    for (let j = i + 1; j < norm.length; j++) {
      const a = norm[i];
      const b = norm[j];
      if (a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)) {
        throw mongoError(
          ErrorCodes.ConflictingUpdateOperators,
          `Updating the path '${paths[j]}' would create a conflict at '${a.length < b.length ? a : b}'`,
        );
      }
    }
  }
}

/** mongod refuses to create a field below a scalar (`$set: {'a.b': 1}` when `a` is 1): PathNotViable. */
function checkPathViable(doc: Document, path: string): void {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (p.startsWith('$')) return;
    let next: unknown;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(p)) {
        throw mongoError(
          ErrorCodes.PathNotViable,
          `Cannot create field '${p}' in element {${parts[i - 1] ?? ''}: [...]}`,
        );
      }
      next = cur[Number(p)];
    } else if (isPlainObject(cur)) next = cur[p];
    else return;
    if (next === undefined) return;
    if (!isPlainObject(next) && !Array.isArray(next)) {
      throw mongoError(
        ErrorCodes.PathNotViable,
        `Cannot create field '${parts[i + 1]}' in element {${p}: ${JSON.stringify(next)}}`,
      );
    }
    cur = next;
  }
}

function checkTargetTypes(doc: Document, update: Document): void {
  for (const op of ['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate']) {
    const arg = update[op] as Document | undefined;
    if (arg) for (const path of Object.keys(arg)) checkPathViable(doc, path);
  }
  const idText = (): string => JSON.stringify(doc._id ?? null);
  for (const op of ['$inc', '$mul']) {
    const arg = update[op] as Document | undefined;
    if (!arg) continue;
    for (const path of Object.keys(arg)) {
      if (path.includes('$')) continue;
      const cur = getPath(doc, path);
      if (cur !== undefined && !isNumeric(cur)) {
        throw mongoError(
          ErrorCodes.TypeMismatch,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${idText()}} has the field '${path.split('.').pop() ?? path}' of non-numeric type ${bsonTypeName(cur)}`,
        );
      }
    }
  }
  for (const op of ['$push', '$addToSet', '$pop', '$pullAll', '$pull']) {
    const arg = update[op] as Document | undefined;
    if (!arg) continue;
    for (const path of Object.keys(arg)) {
      if (path.includes('$')) continue;
      const cur = getPath(doc, path);
      if (cur !== undefined && !Array.isArray(cur)) {
        const code =
          op === '$pull' || op === '$pullAll' || op === '$pop'
            ? ErrorCodes.BadValue
            : ErrorCodes.BadValue;
        throw mongoError(
          code,
          `The field '${path}' must be an array but is of type ${bsonTypeName(cur)} in document {_id: ${idText()}}`,
        );
      }
    }
  }
}

/**
 * Applies an operator update to a copy of `doc` (the caller passes a copy) and reports whether
 * anything changed. `$setOnInsert` is applied only when `isInsert`.
 */
export function applyOperatorUpdate(
  doc: Document,
  update: Document,
  opts: { arrayFilters?: Document[]; filter?: Document; isInsert: boolean },
): boolean {
  const mod: Document = {};
  for (const op of Object.keys(update)) {
    if (op === '$setOnInsert') {
      if (opts.isInsert)
        mod.$set = { ...(mod.$set as Document | undefined), ...(update[op] as Document) };
    } else if (op === '$set') {
      mod.$set = { ...(mod.$set as Document | undefined), ...(update[op] as Document) };
    } else mod[op] = update[op] as unknown;
  }
  if (Object.keys(mod).length === 0) return false;
  checkTargetTypes(doc, mod);
  try {
    const changed = mingoUpdate(doc, mod, opts.arrayFilters, opts.filter, {
      queryOptions: baseOptions(),
    });
    return changed.length > 0;
  } catch (e) {
    throw toMongoError(e);
  }
}
