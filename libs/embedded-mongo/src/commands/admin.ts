import { Binary, type Document, Long, ObjectId } from 'bson';
import { isPlainObject } from '../indexes/paths';
import { ErrorCodes, mongoError } from '../errors';
import { type CommandContext, type CommandHandler } from './context';

export const SERVER_VERSION = '7.0.0';

/*
 * No `topologyVersion`: advertising it makes drivers switch their monitors to the streaming
 * (exhaust, awaitable hello) protocol, which a single standalone gains nothing from.
 */
function hello(legacy: boolean): CommandHandler {
  return (cmd, ctx) => {
    const client: unknown = cmd.client;
    if (
      isPlainObject(client) &&
      isPlainObject(client.application) &&
      typeof client.application.name === 'string'
    ) {
      ctx.connection.appName = client.application.name;
    }
    const res: Document = {
      helloOk: true,
      isWritablePrimary: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ctx.connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
      ok: 1,
    };
    if (legacy) {
      delete res.isWritablePrimary;
      return { ismaster: true, ...res };
    }
    return res;
  };
}

function buildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'parley-embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['parley-embedded'],
    modules: [],
    javascriptEngine: 'none',
    ok: 1,
  };
}

const parameters: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  maxBSONDepth: 100,
  internalQueryFrameworkControl: 'forceClassicEngine',
};

function noTransactions(): never {
  throw mongoError(
    ErrorCodes.IllegalOperation,
    'Transaction numbers are only allowed on a replica set member or mongos',
  );
}

export const adminCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter: (cmd) => {
    const out: Document = { ok: 1 };
    for (const k of Object.keys(cmd)) {
      if (k === 'getParameter' || k.startsWith('$') || k === 'lsid' || k === 'comment') continue;
      if (k in parameters) out[k] = parameters[k] as unknown;
    }
    if (cmd.getParameter === '*') Object.assign(out, parameters);
    return out;
  },
  getCmdLineOpts: () => ({ argv: ['parley-mongo'], parsed: {}, ok: 1 }),
  whatsmyuri: () => ({ you: '127.0.0.1', ok: 1 }),
  connectionStatus: () => ({
    authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
    ok: 1,
  }),
  hostInfo: () => ({
    system: { currentTime: new Date(), hostname: 'localhost' },
    os: { type: process.platform },
    extra: {},
    ok: 1,
  }),
  serverStatus: (_cmd, ctx) => ({
    host: 'localhost',
    version: SERVER_VERSION,
    process: 'parley-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: 1 },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  }),
  features: () => ({ ok: 1 }),
  endSessions: (cmd, ctx) => {
    const ids: unknown = cmd.endSessions;
    if (Array.isArray(ids)) {
      for (const s of ids) {
        const id: unknown = isPlainObject(s) ? s.id : undefined;
        if (id instanceof Binary) ctx.sessions.delete(Buffer.from(id.value()).toString('hex'));
      }
    }
    return { ok: 1 };
  },
  killAllSessions: (_cmd, ctx) => {
    ctx.cursors.killAll();
    return { ok: 1 };
  },
  killSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  startSession: () => ({ id: { id: new ObjectId() }, timeoutMinutes: 30, ok: 1 }),
  commitTransaction: noTransactions,
  abortTransaction: noTransactions,
  logout: () => ({ ok: 1 }),
};

export function isAdminDb(ctx: CommandContext): boolean {
  return ctx.db === 'admin';
}
