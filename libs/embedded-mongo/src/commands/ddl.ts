import { type Document } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import {
  type IndexSpec,
  normalizeIndexSpec,
  sameIndexOptions,
  sameKey,
} from '../indexes/btree-index';
import { formatValue } from '../indexes/format';
import { isPlainObject } from '../indexes/paths';
import { compileFilter } from '../query/engine';
import { type Collection } from '../storage/collection';
import { validateCollectionName, validateDbName } from '../storage/storage';
import {
  type CommandContext,
  type CommandHandler,
  optionalDoc,
  optionalNumber,
  requireString,
} from './context';

const SUPPORTED_CREATE_OPTIONS = new Set([
  'create',
  'writeConcern',
  'comment',
  'lsid',
  '$db',
  '$readPreference',
  '$clusterTime',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'maxTimeMS',
  'idIndex',
]);
const REFUSED_CREATE_OPTIONS = new Set([
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'viewOn',
  'pipeline',
  'timeseries',
  'clusteredIndex',
  'collation',
  'changeStreamPreAndPostImages',
  'expireAfterSeconds',
  'storageEngine',
  'indexOptionDefaults',
  'encryptedFields',
]);

function missingNs(ctx: CommandContext, coll: string): never {
  throw mongoError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${coll}`);
}

function collectionInfo(c: Collection): Document {
  const { uuid, ...options } = c.options as { uuid?: unknown };
  return {
    name: c.name,
    type: 'collection',
    options,
    info: { readOnly: false, uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const create: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, 'create'));
  const options: Document = {};
  for (const k of Object.keys(cmd)) {
    if (SUPPORTED_CREATE_OPTIONS.has(k)) continue;
    if (REFUSED_CREATE_OPTIONS.has(k)) {
      if (k === 'capped' && cmd[k] === false) continue;
      throw mongoError(
        ErrorCodes.NotImplemented,
        `create option '${k}' is not supported by the embedded server`,
      );
    }
    throw mongoError(40415, `BSON field 'create.${k}' is an unknown field.`);
  }
  ctx.storage.createCollection(ctx.db, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'drop');
  const coll = ctx.storage.collection(ctx.db, name);
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexes.length;
  ctx.storage.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  ctx.storage.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = optionalDoc(cmd, 'filter');
  const nameOnly = cmd.nameOnly === true;
  const pred = compileFilter(filter);
  let docs = ctx.storage.listCollections(ctx.db).map(collectionInfo).filter(pred);
  if (nameOnly) docs = docs.map((d) => ({ name: d.name as string, type: d.type as string }));
  const cursor = optionalDoc(cmd, 'cursor');
  const batchSize = cursor ? optionalNumber(cursor, 'batchSize') : undefined;
  return {
    cursor: ctx.cursors.firstBatch(
      `${ctx.db}.$cmd.listCollections`,
      docs,
      batchSize,
      false,
      ctx.connectionId,
    ),
    ok: 1,
  };
};

const listDatabases: CommandHandler = (cmd, ctx) => {
  const pred = compileFilter(optionalDoc(cmd, 'filter'));
  let databases: Document[] = [...ctx.storage.dbs.entries()].map(([name, colls]) => {
    let size = 0;
    for (const c of colls.values()) size += c.size * 100;
    return { name, sizeOnDisk: size, empty: size === 0 };
  });
  databases = databases.filter(pred);
  if (cmd.nameOnly === true)
    return { databases: databases.map((d) => ({ name: d.name as string })), ok: 1 };
  const totalSize = databases.reduce((s, d) => s + (d.sizeOnDisk as number), 0);
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1e6), ok: 1 };
};

const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = validateCollectionName(requireString(cmd, 'createIndexes'));
  const raw: unknown = cmd.indexes;
  if (!Array.isArray(raw) || raw.length === 0)
    throw mongoError(ErrorCodes.BadValue, 'Must specify at least one index to create');
  const specs = raw.map(normalizeIndexSpec);
  const existed = ctx.storage.collection(ctx.db, name);
  const coll = existed ?? ctx.storage.ensureCollection(ctx.db, name);
  const before = coll.indexes.length;
  const toCreate: IndexSpec[] = [];
  for (const spec of specs) {
    const byName = coll.findIndex(spec.name) ?? toCreate.find((s) => s.name === spec.name);
    const byNameSpec: IndexSpec | undefined = byName
      ? 'spec' in byName
        ? (byName.spec as IndexSpec)
        : byName
      : undefined;
    if (byNameSpec) {
      if (!sameKey(byNameSpec.key, spec.key)) {
        throw mongoError(
          ErrorCodes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatValue(spec)}, existing index: ${formatValue(byNameSpec)}`,
        );
      }
      if (!sameIndexOptions(byNameSpec, spec)) {
        throw mongoError(
          ErrorCodes.IndexOptionsConflict,
          `An equivalent index already exists with the same name but different options. Requested index: ${formatValue(spec)}, existing index: ${formatValue(byNameSpec)}`,
        );
      }
      continue;
    }
    const byKey = coll.indexes.find(
      (i) =>
        sameKey(i.spec.key, spec.key) &&
        JSON.stringify(i.spec.partialFilterExpression ?? null) ===
          JSON.stringify(spec.partialFilterExpression ?? null),
    );
    if (byKey) {
      throw mongoError(
        ErrorCodes.IndexOptionsConflict,
        `Index already exists with a different name: ${byKey.name}`,
      );
    }
    if (spec.partialFilterExpression) compileFilter(spec.partialFilterExpression as Document);
    toCreate.push(spec);
  }
  for (const spec of toCreate) ctx.storage.createIndex(coll, spec);
  const res: Document = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (toCreate.length === 0) res.note = 'all indexes already exist';
  return res;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'listIndexes');
  const coll = ctx.storage.collection(ctx.db, name);
  if (!coll) missingNs(ctx, name);
  const cursor = optionalDoc(cmd, 'cursor');
  const batchSize = cursor ? optionalNumber(cursor, 'batchSize') : undefined;
  const docs = coll.indexes.map((i) => ({ ...i.spec }));
  return {
    cursor: ctx.cursors.firstBatch(
      `${ctx.db}.$cmd.listIndexes.${name}`,
      docs,
      batchSize,
      false,
      ctx.connectionId,
    ),
    ok: 1,
  };
};

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, Object.keys(cmd)[0]);
  const coll = ctx.storage.collection(ctx.db, name);
  if (!coll) missingNs(ctx, name);
  const nIndexesWas = coll.indexes.length;
  const target: unknown = cmd.index;
  let names: string[];
  if (target === '*') names = coll.indexes.slice(1).map((i) => i.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const idx = coll.indexes.find((i) => sameKey(i.spec.key, target));
    if (!idx)
      throw mongoError(
        ErrorCodes.IndexNotFound,
        `can't find index with key: ${formatValue(target)}`,
      );
    names = [idx.name];
  } else
    throw mongoError(ErrorCodes.TypeMismatch, "BSON field 'dropIndexes.index' is the wrong type");
  for (const n of names) {
    if (n === '_id_') throw mongoError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!coll.findIndex(n))
      throw mongoError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) ctx.storage.dropIndex(coll, n);
  return { nIndexesWas, ok: 1 };
};

const renameCollection: CommandHandler = (cmd, ctx) => {
  const from = requireString(cmd, 'renameCollection');
  const to = requireString(cmd, 'to');
  const [fromDb, ...fromRest] = from.split('.');
  const [toDb, ...toRest] = to.split('.');
  const fromColl = fromRest.join('.');
  const toColl = validateCollectionName(toRest.join('.'));
  validateDbName(toDb);
  const src = ctx.storage.collection(fromDb, fromColl);
  if (!src)
    throw mongoError(ErrorCodes.NamespaceNotFound, 'Source collection ' + from + ' does not exist');
  if (ctx.storage.collection(toDb, toColl)) {
    if (cmd.dropTarget !== true)
      throw mongoError(ErrorCodes.NamespaceExists, 'target namespace exists');
    ctx.storage.dropCollection(toDb, toColl);
  }
  const dst = ctx.storage.createCollection(toDb, toColl);
  for (const idx of src.indexes.slice(1)) ctx.storage.createIndex(dst, idx.spec);
  for (const doc of src.documents()) ctx.storage.insert(dst, doc);
  ctx.storage.dropCollection(fromDb, fromColl);
  return { ok: 1 };
};

const collStats: CommandHandler = (cmd, ctx) => {
  const name = requireString(cmd, 'collStats');
  const coll = ctx.storage.collection(ctx.db, name);
  if (!coll) missingNs(ctx, name);
  return { ns: coll.ns, count: coll.size, nindexes: coll.indexes.length, indexSizes: {}, ok: 1 };
};

const dbStats: CommandHandler = (_cmd, ctx) => {
  const colls = ctx.storage.listCollections(ctx.db);
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects: colls.reduce((s, c) => s + c.size, 0),
    indexes: colls.reduce((s, c) => s + c.indexes.length, 0),
    ok: 1,
  };
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  renameCollection,
  collStats,
  dbStats,
};
