import { Binary, type Document } from 'bson';
import { ErrorCodes, type MongoCommandError, mongoError, toMongoError } from '../errors';
import { isPlainObject } from '../indexes/paths';
import { adminCommands } from './admin';
import { aggregate, runAggregation } from './aggregate';
import {
  CloseConnection,
  type CommandContext,
  type CommandHandler,
  type FailPoint,
  optionalDoc,
  requireString,
} from './context';
import { crudCommands, executeFind, parseFind } from './crud';
import { ddlCommands } from './ddl';

const explain: CommandHandler = (cmd, ctx) => {
  const inner = optionalDoc(cmd, 'explain');
  if (!inner)
    throw mongoError(ErrorCodes.FailedToParse, 'explain command requires a nested object');
  const verb = Object.keys(inner)[0];
  let plan;
  let collName: string;
  if (verb === 'find') {
    collName = requireString(inner, 'find');
    const spec = parseFind(inner);
    plan = executeFind(ctx.storage.collection(ctx.db, collName), spec).plan;
  } else if (verb === 'count' || verb === 'distinct') {
    collName = requireString(inner, verb);
    const filter = optionalDoc(inner, 'query');
    plan = executeFind(ctx.storage.collection(ctx.db, collName), {
      filter,
      hint: inner.hint,
      skip: 0,
      limit: 0,
    }).plan;
  } else if (verb === 'aggregate') {
    collName = requireString(inner, 'aggregate');
    const pipeline = inner.pipeline as Document[];
    const first = Array.isArray(pipeline) && isPlainObject(pipeline[0]) ? pipeline[0] : undefined;
    plan = executeFind(ctx.storage.collection(ctx.db, collName), {
      filter: first && '$match' in first ? (first.$match as Document) : undefined,
      skip: 0,
      limit: 0,
    }).plan;
    runAggregation(ctx, collName, pipeline);
  } else
    throw mongoError(
      ErrorCodes.NotImplemented,
      `explain of '${verb}' is not supported by the embedded server`,
    );
  const s = plan.stats;
  const inputStage: Document =
    s.stage === 'IXSCAN'
      ? {
          stage: 'IXSCAN',
          keyPattern: s.keyPattern,
          indexName: s.indexName,
          direction: s.direction,
          isMultiKey: false,
        }
      : { stage: s.stage, direction: s.direction };
  const winningPlan: Document = s.stage === 'IXSCAN' ? { stage: 'FETCH', inputStage } : inputStage;
  return {
    explainVersion: '1',
    queryPlanner: { namespace: `${ctx.db}.${collName}`, winningPlan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned: s.nReturned,
      executionTimeMillis: 0,
      totalKeysExamined: s.keysExamined,
      totalDocsExamined: s.docsExamined,
      sortCoveredByIndex: s.sortCovered,
    },
    serverInfo: { host: 'localhost', port: ctx.server.port, version: '7.0.0' },
    ok: 1,
  };
};

/** mongod's failCommand failpoint (only with test commands enabled, like `--setParameter enableTestCommands=1`). */
const configureFailPoint: CommandHandler = (cmd, ctx) => {
  if (!ctx.failPoints)
    throw mongoError(ErrorCodes.CommandNotFound, "no such command: 'configureFailPoint'");
  if (ctx.db !== 'admin')
    throw mongoError(
      ErrorCodes.Unauthorized,
      'configureFailPoint may only be run against the admin database.',
    );
  const name = requireString(cmd, 'configureFailPoint');
  if (name !== 'failCommand')
    throw mongoError(
      ErrorCodes.BadValue,
      `failpoint ${name} is not supported by the embedded server`,
    );
  const mode: unknown = cmd.mode;
  const data = optionalDoc(cmd, 'data') ?? {};
  for (const k of Object.keys(data)) {
    if (
      ![
        'failCommands',
        'errorCode',
        'closeConnection',
        'errorLabels',
        'writeConcernError',
        'appName',
        'errmsg',
        'failInternalCommands',
      ].includes(k)
    ) {
      throw mongoError(
        ErrorCodes.BadValue,
        `failCommand option '${k}' is not supported by the embedded server`,
      );
    }
  }
  if (mode === 'off') ctx.failPoints.delete(name);
  else if (mode === 'alwaysOn') ctx.failPoints.set(name, { remaining: Infinity, data });
  else if (isPlainObject(mode) && typeof mode.times === 'number')
    ctx.failPoints.set(name, { remaining: mode.times, data });
  else throw mongoError(ErrorCodes.BadValue, 'unsupported failpoint mode');
  return { count: 0, ok: 1 };
};

function triggeredFailPoint(name: string, ctx: CommandContext): Document | undefined {
  const fp = ctx.failPoints?.get('failCommand');
  if (!fp || fp.remaining <= 0) return undefined;
  const cmds: unknown = fp.data.failCommands;
  if (!Array.isArray(cmds) || !cmds.includes(name)) return undefined;
  if (typeof fp.data.appName === 'string' && fp.data.appName !== ctx.connection.appName)
    return undefined;
  fp.remaining--;
  if (fp.remaining <= 0) ctx.failPoints?.delete('failCommand');
  return fp.data;
}

const commands: Record<string, CommandHandler> = {
  configureFailPoint,
  ...adminCommands,
  ...crudCommands,
  ...ddlCommands,
  aggregate,
  explain,
};

export function commandName(cmd: Document): string {
  return Object.keys(cmd)[0] ?? '';
}

/** Executes one command and returns the reply document (errors become `{ok: 0, ...}`). */
export function dispatch(cmd: Document, ctx: CommandContext): Document {
  const name = commandName(cmd);
  const handler = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  try {
    if (!handler) throw mongoError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    const rc: unknown = cmd.readConcern;
    if (
      isPlainObject(rc) &&
      rc.level !== undefined &&
      !['local', 'available', 'majority'].includes(String(rc.level))
    ) {
      if (rc.level === 'snapshot')
        throw mongoError(
          ErrorCodes.InvalidOptions,
          'readConcern level snapshot is only valid in multi-statement transactions or on replica sets',
        );
      throw mongoError(ErrorCodes.BadValue, `unknown readConcern level ${String(rc.level)}`);
    }
    const lsid: unknown = cmd.lsid;
    if (isPlainObject(lsid) && lsid.id instanceof Binary) {
      const key = lsid.id.toString('hex');
      const known = ctx.sessions.get(key);
      if (name === 'endSessions') ctx.sessions.delete(key);
      // A session seen before is touched in place: this runs for every command.
      else if (known) known.lastUse.setTime(Date.now());
      else {
        ctx.sessions.set(key, { id: lsid.id, lastUse: new Date() });
        if (ctx.sessions.size > 10_000)
          ctx.sessions.delete(ctx.sessions.keys().next().value as string);
      }
    }
    const fp = triggeredFailPoint(name, ctx);
    if (fp?.closeConnection === true) throw new CloseConnection('failCommand closeConnection');
    if (fp && typeof fp.errorCode === 'number') {
      const res = mongoError(
        fp.errorCode,
        typeof fp.errmsg === 'string' ? fp.errmsg : "Failing command via 'failCommand' failpoint",
      ).toResponse();
      if (Array.isArray(fp.errorLabels)) res.errorLabels = fp.errorLabels as unknown;
      return res;
    }
    const res = handler(cmd, ctx);
    if (fp && isPlainObject(fp.writeConcernError)) res.writeConcernError = fp.writeConcernError;
    if (fp && Array.isArray(fp.errorLabels)) res.errorLabels = fp.errorLabels as unknown;
    return res;
  } catch (e) {
    if (e instanceof CloseConnection) throw e;
    const err: MongoCommandError = toMongoError(e);
    if (err.code === ErrorCodes.InternalError) console.error('[embedded-mongo] internal error', e);
    return err.toResponse();
  } finally {
    ctx.storage.commit({ sync: wantsJournal(cmd) });
  }
}

/**
 * `writeConcern: {j: true}` (or `fsync: true`) asks for the write to be in the on-disk journal
 * before the reply, as mongod does: the commit is fsynced even when the server was not started
 * with `fsync` (which fsyncs every commit).
 */
export function wantsJournal(cmd: Document): boolean {
  const wc: unknown = cmd.writeConcern;
  return isPlainObject(wc) && (wc.j === true || wc.fsync === true);
}

export type { FailPoint };
