import { type Document, ObjectId } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { type Predicate } from '../query/engine';
import { type Collection } from '../storage/collection';
import { type BTreeIndex, type IndexEntry, sameKey } from './btree-index';
import { compareValues, typeRank } from './compare';
import { isPlainObject, pathValues } from './paths';

/** One end of a range on a single field, in value (not index) order. */
interface Bound {
  value: unknown;
  inclusive: boolean;
  /** When set, the bound is the edge of a whole BSON type bracket rather than a value. */
  edgeOfRank?: number;
}

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

export interface PlanResult {
  /** Matching records in result order (sorted when a sort was requested). */
  matches: { rid: number; doc: Document }[];
  stats: PlanStats;
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
  if (c.lower && (!cur.lower || compareValues(c.lower.value, cur.lower.value) > 0))
    cur.lower = c.lower;
  if (c.upper && (!cur.upper || compareValues(c.upper.value, cur.upper.value) < 0))
    cur.upper = c.upper;
  map.set(field, cur);
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
    if (c.lower && !c.upper)
      c.upper = { value: null, inclusive: true, edgeOfRank: typeRank(c.lower.value) };
    if (c.upper && !c.lower)
      c.lower = { value: null, inclusive: true, edgeOfRank: typeRank(c.upper.value) };
  }
  return out;
}

function belowLower(v: unknown, b: Bound): boolean {
  if (b.edgeOfRank !== undefined) return typeRank(v) < b.edgeOfRank;
  const c = compareValues(v, b.value);
  return c < 0 || (c === 0 && !b.inclusive);
}

function aboveUpper(v: unknown, b: Bound): boolean {
  if (b.edgeOfRank !== undefined) return typeRank(v) > b.edgeOfRank;
  const c = compareValues(v, b.value);
  return c > 0 || (c === 0 && !b.inclusive);
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
  predicate: Predicate;
  sort?: Document;
  hint?: unknown;
  /** skip + limit when a limit applies, else 0 (no early stop). */
  stopAfter: number;
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
    stats.stage = 'EOF';
    return { matches: [], stats };
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
  const matches: { rid: number; doc: Document }[] = [];
  const limit = q.stopAfter;
  const canStopEarly = limit > 0 && (!sort || (best?.sortCovered ?? false));
  if (!best) {
    for (const [rid, doc] of coll.records) {
      stats.docsExamined++;
      if (q.predicate(doc)) {
        matches.push({ rid, doc });
        if (canStopEarly && matches.length >= limit) break;
      }
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
    const prefixes = cartesian(best.pointSets);
    const p = best.eqFields;
    const range = best.range;
    outer: for (const prefix of prefixes) {
      const rel = (e: IndexEntry): number => {
        const c = index.comparePrefix(e, prefix);
        if (c !== 0) return c;
        if (!range) return 0;
        const v = e.key[p];
        const r =
          range.lower && belowLower(v, range.lower)
            ? -1
            : range.upper && aboveUpper(v, range.upper)
              ? 1
              : 0;
        return r * index.dirs[p];
      };
      const iter = best.backward
        ? index.entries.backward(index.entries.lowerBound((e) => (rel(e) <= 0 ? -1 : 1)))
        : index.entries.forward(index.entries.lowerBound(rel));
      for (const e of iter) {
        stats.keysExamined++;
        if (rel(e) !== 0) break;
        if (seen) {
          if (seen.has(e.rid)) continue;
          seen.add(e.rid);
        }
        const doc = coll.records.get(e.rid);
        if (!doc) continue;
        stats.docsExamined++;
        if (q.predicate(doc)) {
          matches.push({ rid: e.rid, doc });
          if (canStopEarly && matches.length >= limit) break outer;
        }
      }
    }
    if (prefixes.length > 1 && !sort) {
      // Several point scans come back in index order per point; natural order is not promised by MongoDB either.
    }
  }
  if (cmp && !stats.sortCovered) matches.sort((a, b) => cmp(a.doc, b.doc));
  return { matches, stats };
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
