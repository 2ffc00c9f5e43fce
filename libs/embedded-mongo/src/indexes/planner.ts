import { type Document, ObjectId } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { matchAll, type Predicate } from '../query/engine';
import { type Collection } from '../storage/collection';
import { decodeRaw } from '../storage/raw-document';
import { type Bound, type BTreeIndex, sameKey } from './btree-index';
import { compareValues, typeRank } from './compare';
import { ridOf } from './key-string';
import { isPlainObject, pathValues } from './paths';

interface FieldConstraint {
  points?: unknown[];
  lower?: Bound;
  upper?: Bound;
}

export interface PlanStats {
  stage: 'COLLSCAN' | 'IXSCAN' | 'EOF';
  indexName?: string;
  keyPattern?: Document;
  direction: 'forward' | 'backward';
  keysExamined: number;
  docsExamined: number;
  nReturned: number;
  sortCovered: boolean;
}

/** A matching record: its bytes, and its document decoded on first use. */
export class Match {
  constructor(
    readonly rid: number,
    readonly raw: string,
    private decoded?: Document,
  ) {}

  /** The document (a private copy: changing it changes nothing stored). */
  get doc(): Document {
    return (this.decoded ??= decodeRaw(this.raw));
  }
}

export interface PlanResult {
  /** Matching records in result order (sorted when a sort was requested). */
  matches: Match[];
  stats: PlanStats;
  /** The index bounds were the whole filter, so no document was decoded to test it. */
  exact: boolean;
}

/** Values whose equality/range semantics are exact in a B-tree (no arrays, objects, null, regex). */
function indexable(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isNaN(v);
  return (
    typeof v === 'string' || typeof v === 'boolean' || v instanceof ObjectId || v instanceof Date
  );
}

function addConstraint(map: Map<string, FieldConstraint>, field: string, c: FieldConstraint): void {
  const cur = map.get(field) ?? {};
  if (c.points)
    cur.points = cur.points
      ? cur.points.filter((p) => c.points!.some((q) => compareValues(p, q) === 0))
      : c.points;
  if (c.lower && (!cur.lower || tighter(c.lower, cur.lower, 1))) cur.lower = c.lower;
  if (c.upper && (!cur.upper || tighter(c.upper, cur.upper, -1))) cur.upper = c.upper;
  map.set(field, cur);
}

/**
 * Whether bound `a` excludes more than `b` (`side` 1 for lower bounds, -1 for upper ones): the
 * further inside, or at the same value the exclusive one — `{$gte: 5, $gt: 5}` is `> 5`, which
 * matters once bounds answer a filter on their own.
 */
function tighter(a: Bound, b: Bound, side: number): boolean {
  const order = compareValues(a.value, b.value) * side;
  return order > 0 || (order === 0 && !a.inclusive && b.inclusive);
}

/** Extracts index-usable constraints from the conjunctive part of a filter (a superset is fine: the full filter is re-applied). */
export function analyzeFilter(
  filter: Document | undefined,
  out = new Map<string, FieldConstraint>(),
): Map<string, FieldConstraint> {
  if (!filter) return out;
  for (const key of Object.keys(filter)) {
    const v: unknown = filter[key];
    if (key === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) analyzeFilter(sub, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (indexable(v)) {
      addConstraint(out, key, { points: [v] });
      continue;
    }
    if (!isPlainObject(v)) continue;
    const ops = Object.keys(v);
    if (ops.length === 0 || !ops.every((o) => o.startsWith('$'))) continue;
    for (const op of ops) {
      const arg: unknown = v[op];
      if (op === '$eq' && indexable(arg)) addConstraint(out, key, { points: [arg] });
      else if (
        op === '$in' &&
        Array.isArray(arg) &&
        arg.length > 0 &&
        arg.length <= 1000 &&
        arg.every(indexable)
      ) {
        addConstraint(out, key, { points: arg });
      } else if ((op === '$gt' || op === '$gte') && indexable(arg)) {
        addConstraint(out, key, { lower: { value: arg, inclusive: op === '$gte' } });
      } else if ((op === '$lt' || op === '$lte') && indexable(arg)) {
        addConstraint(out, key, { upper: { value: arg, inclusive: op === '$lte' } });
      }
    }
  }
  for (const c of out.values()) {
    // Comparison operators only match values of the same BSON type bracket, so a one-sided range is
    // closed at the bracket's edge; this keeps `{seq: {$lt: N}}` from scanning nulls and strings.
    // Numbers start at -Infinity rather than the bracket's edge: NaN sorts below every number but
    // is less than none, so `$lt` must not reach it.
    if (c.lower && !c.upper)
      c.upper = { value: null, inclusive: true, edgeOfRank: typeRank(c.lower.value) };
    if (c.upper && !c.lower)
      c.lower =
        typeof c.upper.value === 'number'
          ? { value: -Infinity, inclusive: true }
          : { value: null, inclusive: true, edgeOfRank: typeRank(c.upper.value) };
  }
  return out;
}

interface Candidate {
  index: BTreeIndex;
  eqFields: number;
  pointSets: unknown[][];
  range?: { lower?: Bound; upper?: Bound };
  sortCovered: boolean;
  backward: boolean;
  score: number;
}

function planIndex(
  index: BTreeIndex,
  constraints: Map<string, FieldConstraint>,
  sort: Document | undefined,
): Candidate {
  const pointSets: unknown[][] = [];
  let p = 0;
  let combos = 1;
  for (; p < index.fields.length; p++) {
    const c = constraints.get(index.fields[p]);
    if (!c?.points || c.points.length === 0) break;
    if (combos * c.points.length > 256) break;
    combos *= c.points.length;
    pointSets.push(c.points);
  }
  let range: Candidate['range'];
  if (p < index.fields.length && !index.multikey) {
    const c = constraints.get(index.fields[p]);
    if (c && (c.lower || c.upper)) range = { lower: c.lower, upper: c.upper };
  }
  let sortCovered = false;
  let backward = false;
  if (sort && !index.multikey) {
    const singlePoint = new Set(
      index.fields.slice(0, p).filter((_, i) => pointSets[i].length === 1),
    );
    const sortFields = Object.keys(sort).filter((f) => !singlePoint.has(f));
    if (combos === 1 && sortFields.length > 0 && sortFields.length <= index.fields.length - p) {
      let sign = 0;
      sortCovered = sortFields.every((f, i) => {
        if (index.fields[p + i] !== f) return false;
        const s = Number(sort[f]) * index.dirs[p + i] > 0 ? 1 : -1;
        if (sign === 0) sign = s;
        return s === sign;
      });
      backward = sign < 0;
    } else if (sortFields.length === 0) {
      sortCovered = combos === 1;
    }
  }
  let score = p * 4 + (range ? 2 : 0) + (sortCovered ? 3 : 0);
  // A sparse index lacks documents without the field, so it may only serve queries that constrain its first field.
  if (index.sparse && p === 0 && !range) score = 0;
  return { index, eqFields: p, pointSets, range, sortCovered, backward, score };
}

function resolveHint(coll: Collection, hint: unknown): BTreeIndex | 'natural' | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'string') {
    const idx = coll.findIndex(hint);
    if (!idx)
      throw mongoError(
        ErrorCodes.BadValue,
        'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
      );
    return idx;
  }
  if (isPlainObject(hint)) {
    if (Object.keys(hint).length === 0) return undefined;
    if ('$natural' in hint) return 'natural';
    const idx = coll.indexes.find((i) => sameKey(i.spec.key, hint));
    if (!idx)
      throw mongoError(
        ErrorCodes.BadValue,
        'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
      );
    return idx;
  }
  throw mongoError(ErrorCodes.FailedToParse, 'hint must be a string or an object');
}

/** Sort key of a document for one field, MongoDB style: arrays sort by their min (asc) or max (desc) element. */
function sortKey(doc: Document, field: string, dir: number): unknown {
  const { values, viaArray } = pathValues(doc, field);
  if (values.length === 0) return null;
  if (!viaArray) return values[0] ?? null;
  let best: unknown = values[0];
  for (const v of values) if (compareValues(v, best) * dir < 0) best = v;
  return best ?? null;
}

export function makeSortComparator(sort: Document): (a: Document, b: Document) => number {
  const fields = Object.keys(sort);
  for (const f of fields) {
    const d: unknown = sort[f];
    if (isPlainObject(d))
      throw mongoError(
        ErrorCodes.BadValue,
        `$meta sort is not supported by the embedded server: ${f}`,
      );
    if (d !== 1 && d !== -1)
      throw mongoError(
        ErrorCodes.BadValue,
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
  }
  const dirs = fields.map((f) => Number(sort[f]));
  return (a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const c = compareValues(sortKey(a, fields[i], dirs[i]), sortKey(b, fields[i], dirs[i]));
      if (c !== 0) return c * dirs[i];
    }
    return 0;
  };
}

export interface QueryShape {
  filter?: Document;
  /** Compiles the filter; called only when some document has to be tested against it. */
  compile: () => Predicate;
  sort?: Document;
  hint?: unknown;
  /** skip + limit when a limit applies, else 0 (no early stop). */
  stopAfter: number;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * Whether scanning `plan`'s bounds yields exactly the documents `filter` matches, so no document
 * needs testing (MongoDB's IXSCAN without a filter in its FETCH). True when every condition is an
 * equality/$in on a field of the equality prefix or a range on the range field (one type bracket),
 * on an index holding no arrays: then index comparison and query semantics agree (MongoDB's, for
 * numbers of mixed types too).
 */
function exactBounds(filter: Document | undefined, plan: Candidate): boolean {
  if (!filter) return true;
  const { index } = plan;
  if (index.multikey) return false;
  const equalityFields = index.fields.slice(0, plan.eqFields);
  const rangeField = plan.range ? index.fields[plan.eqFields] : undefined;
  for (const field of Object.keys(filter)) {
    if (field.startsWith('$')) return false;
    const condition: unknown = filter[field];
    if (indexable(condition)) {
      if (!equalityFields.includes(field)) return false;
      continue;
    }
    if (!isPlainObject(condition)) return false;
    const operators = Object.keys(condition);
    if (operators.length === 0) return false;
    let rank: number | undefined;
    for (const operator of operators) {
      const argument: unknown = condition[operator];
      if (operator === '$eq' && indexable(argument)) {
        if (!equalityFields.includes(field)) return false;
      } else if (
        operator === '$in' &&
        Array.isArray(argument) &&
        argument.length > 0 &&
        argument.length <= 1000 &&
        argument.every(indexable)
      ) {
        if (!equalityFields.includes(field)) return false;
      } else if (RANGE_OPERATORS.has(operator) && indexable(argument)) {
        if (field !== rangeField) return false;
        // `{$gt: 5, $lt: 'z'}` matches nothing in MongoDB, but its bounds span two brackets.
        const argumentRank = typeRank(argument);
        if (rank !== undefined && rank !== argumentRank) return false;
        rank = argumentRank;
      } else return false;
    }
  }
  return true;
}

/** Chooses an index (or a collection scan) and returns the matching documents in result order. */
export function runQuery(coll: Collection | undefined, q: QueryShape): PlanResult {
  const stats: PlanStats = {
    stage: 'COLLSCAN',
    direction: 'forward',
    keysExamined: 0,
    docsExamined: 0,
    nReturned: 0,
    sortCovered: false,
  };
  if (!coll) {
    // Nothing to read, but a malformed filter is still an error.
    q.compile();
    stats.stage = 'EOF';
    return { matches: [], stats, exact: false };
  }
  const sort = q.sort && Object.keys(q.sort).length > 0 ? q.sort : undefined;
  const cmp = sort ? makeSortComparator(sort) : undefined;
  const hinted = resolveHint(coll, q.hint);
  let best: Candidate | undefined;
  if (hinted !== 'natural') {
    const constraints = analyzeFilter(q.filter);
    const candidates = (
      hinted ? [hinted] : coll.indexes.filter((i) => !i.partial && i.spec.hidden !== true)
    ).map((i) => planIndex(i, constraints, sort));
    for (const c of candidates) if (!best || c.score > best.score) best = c;
    if (best && best.score === 0 && !hinted) best = undefined;
  }
  const exact = best !== undefined && exactBounds(q.filter, best);
  const predicate = exact ? matchAll : q.compile();
  const testsDocuments = predicate !== matchAll;
  const matches: Match[] = [];
  const limit = q.stopAfter;
  const canStopEarly = limit > 0 && (!sort || (best?.sortCovered ?? false));
  if (!best) {
    for (const [rid, raw] of coll.rawRecords()) {
      stats.docsExamined++;
      if (!testsDocuments) {
        matches.push(new Match(rid, raw));
      } else {
        const doc = decodeRaw(raw);
        if (!predicate(doc)) continue;
        matches.push(new Match(rid, raw, doc));
      }
      if (canStopEarly && matches.length >= limit) break;
    }
  } else {
    const { index } = best;
    stats.stage = 'IXSCAN';
    stats.indexName = index.name;
    stats.keyPattern = { ...index.spec.key };
    stats.sortCovered = best.sortCovered;
    stats.direction = best.backward ? 'backward' : 'forward';
    const seen =
      index.multikey || best.pointSets.some((s) => s.length > 1) ? new Set<number>() : undefined;
    outer: for (const prefix of cartesian(best.pointSets)) {
      for (const entry of index.scan(prefix, best.range, best.backward)) {
        stats.keysExamined++;
        const rid = ridOf(entry);
        if (seen) {
          if (seen.has(rid)) continue;
          seen.add(rid);
        }
        const raw = coll.raw(rid);
        if (raw === undefined) continue;
        stats.docsExamined++;
        if (!testsDocuments) {
          matches.push(new Match(rid, raw));
        } else {
          const doc = decodeRaw(raw);
          if (!predicate(doc)) continue;
          matches.push(new Match(rid, raw, doc));
        }
        if (canStopEarly && matches.length >= limit) break outer;
      }
    }
  }
  if (cmp && !stats.sortCovered) matches.sort((a, b) => cmp(a.doc, b.doc));
  return { matches, stats, exact };
}

function cartesian(sets: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const s of sets) {
    const sorted = [...s].sort(compareValues);
    const next: unknown[][] = [];
    for (const o of out) for (const v of sorted) next.push([...o, v]);
    out = next;
  }
  return out;
}
