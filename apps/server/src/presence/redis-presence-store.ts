import { randomUUID } from 'node:crypto';
import type { PresenceDto, ReportedPresenceStatus } from '@parley/contracts';
import type Redis from 'ioredis';
import { closeRedis } from '../common/redis/close-redis';
import type { DisconnectOutcome, PresenceStore, PresenceTransition } from './presence-store';

/**
 * Key layout (standalone Redis, like the rest of Parley's Redis data), under `parley:presence:`:
 *
 * | key                   | type   | content                                                     |
 * | --------------------- | ------ | ----------------------------------------------------------- |
 * | `conn:<user>`         | hash   | connection id → `<status> <instance>`; absent: none open    |
 * | `status`              | hash   | user → status last announced (online/away); absent: offline |
 * | `grace`               | zset   | user, scored by when their grace ends (epoch ms)            |
 * | `last-seen`           | hash   | user → when their last connection closed (while in grace)   |
 * | `instances`           | hash   | instance id → its last heartbeat (epoch ms)                 |
 * | `alive:<instance>`    | string | exists while the instance beats (PX `instanceTtlMs`)        |
 * | `instance:<instance>` | set    | `<user> <connection id>` of every connection it holds       |
 *
 * Every change runs as one Lua script, so it is decided atomically: of two instances racing over
 * one user, exactly one sees the change of announced status and reports the transition. Scripts
 * are sent with EVAL, not EVALSHA: ioredis retries a NOSCRIPT (after a Redis restart) behind later
 * commands, and a disconnect overtaking its connect would leave a connection behind for good.
 *
 * An instance that dies keeps its connections in Redis; its `alive:` key expires, and the next
 * surviving instance to run `maintain` removes them in one script (the script is the claim: a
 * second instance running it finds nothing left to remove) and starts an already-ended grace for
 * the users who have no connection left, which `expireDue` turns into `offline` announcements.
 */
const PREFIX = 'parley:presence:';
const STATUS = `${PREFIX}status`;
const GRACE = `${PREFIX}grace`;
const LAST_SEEN = `${PREFIX}last-seen`;
const INSTANCES = `${PREFIX}instances`;
/** Graces expired per script run, so a mass disconnect never blocks Redis for long. */
const EXPIRE_BATCH = 500;

export function connectionsKey(userId: string): string {
  return `${PREFIX}conn:${userId}`;
}
export function aliveKey(instanceId: string): string {
  return `${PREFIX}alive:${instanceId}`;
}
export function instanceKey(instanceId: string): string {
  return `${PREFIX}instance:${instanceId}`;
}

/**
 * `reannounce(connKey, userId)`: the combined status of the user's connections if it differs from
 * the one announced (and records it), else false. `removeInstance(id, graceEnd, lastSeen)`: drops
 * every connection of an instance; users left without one get a grace ending at `graceEnd`.
 */
const LUA_HELPERS = `
local prefix = '${PREFIX}'
local statusKey, graceKey, lastSeenKey, instancesKey =
  '${STATUS}', '${GRACE}', '${LAST_SEEN}', '${INSTANCES}'

local function reannounce(connKey, userId)
  local values = redis.call('HVALS', connKey)
  if #values == 0 then return false end
  local combined = 'away'
  for _, value in ipairs(values) do
    if string.match(value, '^(%S+)') == 'online' then combined = 'online' break end
  end
  if redis.call('HGET', statusKey, userId) == combined then return false end
  redis.call('HSET', statusKey, userId, combined)
  return combined
end

local function removeInstance(instanceId, graceEnd, lastSeen)
  local changed = {}
  local setKey = prefix .. 'instance:' .. instanceId
  for _, member in ipairs(redis.call('SMEMBERS', setKey)) do
    local space = string.find(member, ' ', 1, true)
    local userId = string.sub(member, 1, space - 1)
    local connKey = prefix .. 'conn:' .. userId
    redis.call('HDEL', connKey, string.sub(member, space + 1))
    if redis.call('EXISTS', connKey) == 0 then
      if redis.call('ZSCORE', graceKey, userId) == false then
        redis.call('ZADD', graceKey, graceEnd, userId)
        redis.call('HSET', lastSeenKey, userId, lastSeen)
      end
    else
      local status = reannounce(connKey, userId)
      if status then
        table.insert(changed, userId)
        table.insert(changed, status)
      end
    end
  end
  redis.call('DEL', setKey, prefix .. 'alive:' .. instanceId)
  redis.call('HDEL', instancesKey, instanceId)
  return changed
end
`;

/**
 * KEYS: conn, instance set. ARGV: user, connection, instance, status.
 * Answers {new status or nil, status now}.
 */
const UPSERT_CONNECTION = `${LUA_HELPERS}
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4] .. ' ' .. ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1] .. ' ' .. ARGV[2])
redis.call('ZREM', graceKey, ARGV[1])
redis.call('HDEL', lastSeenKey, ARGV[1])
local changed = reannounce(KEYS[1], ARGV[1])
return {changed, redis.call('HGET', statusKey, ARGV[1])}
`;

/**
 * KEYS: conn, instance set. ARGV: user, connection, now, grace.
 * Answers {changed status or nil, grace end or nil}.
 */
const DISCONNECT = `${LUA_HELPERS}
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return {false, false} end
redis.call('SREM', KEYS[2], ARGV[1] .. ' ' .. ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 1 then return {reannounce(KEYS[1], ARGV[1]), false} end
local graceEnd = tonumber(ARGV[3]) + tonumber(ARGV[4])
redis.call('ZADD', graceKey, graceEnd, ARGV[1])
redis.call('HSET', lastSeenKey, ARGV[1], ARGV[3])
return {false, tostring(graceEnd)}
`;

/** ARGV: now, batch. Answers user, lastSeen, user, lastSeen… of those now offline. */
const EXPIRE_DUE = `${LUA_HELPERS}
local offline = {}
local due = redis.call('ZRANGEBYSCORE', graceKey, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, userId in ipairs(due) do
  redis.call('ZREM', graceKey, userId)
  local lastSeen = redis.call('HGET', lastSeenKey, userId) or ARGV[1]
  redis.call('HDEL', lastSeenKey, userId)
  local connected = redis.call('EXISTS', prefix .. 'conn:' .. userId) == 1
  if not connected and redis.call('HDEL', statusKey, userId) == 1 then
    table.insert(offline, userId)
    table.insert(offline, lastSeen)
  end
end
return offline
`;

/**
 * ARGV: instance, now, ttl. Beats, then reaps every other instance whose \`alive:\` key expired.
 * Answers {1 if this instance was still registered, user, status, user, status… that changed}.
 */
const HEARTBEAT_AND_REAP = `${LUA_HELPERS}
local registered = redis.call('HEXISTS', instancesKey, ARGV[1])
redis.call('HSET', instancesKey, ARGV[1], ARGV[2])
redis.call('SET', prefix .. 'alive:' .. ARGV[1], ARGV[2], 'PX', ARGV[3])
local changed = {}
local instances = redis.call('HGETALL', instancesKey)
for index = 1, #instances, 2 do
  local instanceId, lastBeat = instances[index], instances[index + 1]
  if redis.call('EXISTS', prefix .. 'alive:' .. instanceId) == 0 then
    -- It died: its users are due offline now, last seen at its last heartbeat.
    for _, item in ipairs(removeInstance(instanceId, ARGV[2], lastBeat)) do
      table.insert(changed, item)
    end
  end
end
return {registered, changed}
`;

/** ARGV: instance, now, grace. A clean shutdown: its users get the usual grace to come back. */
const RETIRE = `${LUA_HELPERS}
return removeInstance(ARGV[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[2])
`;

export interface RedisPresenceStoreOptions {
  graceMs: number;
  /** An instance that has not beaten for this long is dead; beat well within it. */
  instanceTtlMs: number;
  /** For tests that play several instances on one client; random by default. */
  instanceId?: string;
}

/**
 * Presence shared by every server instance on one Redis, over a client of its own. Also keeps this
 * instance's own connections in memory, to bring Redis back in line with them when others took the
 * instance for dead (it stalled for longer than the TTL) and reaped them, when Redis lost its data,
 * or when a change did not reach Redis during an outage.
 */
export class RedisPresenceStore implements PresenceStore {
  readonly instanceId: string;
  private readonly graceMs: number;
  private readonly instanceTtlMs: number;
  private readonly local = new Map<string, { userId: string; status: ReportedPresenceStatus }>();
  private closed = false;
  private outOfStep = false;

  constructor(
    private readonly redis: Redis,
    options: RedisPresenceStoreOptions,
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.graceMs = options.graceMs;
    this.instanceTtlMs = options.instanceTtlMs;
  }

  async connect(userId: string, connectionId: string): Promise<PresenceTransition | null> {
    this.local.set(connectionId, { userId, status: 'online' });
    const [changed] = await this.upsert(userId, connectionId, 'online');
    return changed ? transition(userId, changed) : null;
  }

  async report(
    userId: string,
    connectionId: string,
    status: ReportedPresenceStatus,
  ): Promise<{ presence: PresenceDto; transition: PresenceTransition | null }> {
    this.local.set(connectionId, { userId, status });
    const [changed, announced] = await this.upsert(userId, connectionId, status);
    return {
      presence: { status: announced, lastSeenAt: null },
      transition: changed ? transition(userId, changed) : null,
    };
  }

  async disconnect(userId: string, connectionId: string, now: number): Promise<DisconnectOutcome> {
    this.local.delete(connectionId);
    return this.removeConnection(userId, connectionId, now);
  }

  private async removeConnection(
    userId: string,
    connectionId: string,
    now: number,
  ): Promise<DisconnectOutcome> {
    const [changed, graceEnd] = (await this.tracked(
      this.redis.eval(
        DISCONNECT,
        2,
        connectionsKey(userId),
        instanceKey(this.instanceId),
        userId,
        connectionId,
        now,
        this.graceMs,
      ),
    )) as [ReportedPresenceStatus | null, string | null];
    return {
      transition: changed ? transition(userId, changed) : null,
      graceEndsAt: graceEnd === null ? null : Number(graceEnd),
    };
  }

  async expireDue(now: number): Promise<PresenceTransition[]> {
    const transitions: PresenceTransition[] = [];
    for (;;) {
      const offline = (await this.redis.eval(EXPIRE_DUE, 0, now, EXPIRE_BATCH)) as string[];
      for (let index = 0; index < offline.length; index += 2) {
        transitions.push({
          userId: offline[index] ?? '',
          presence: {
            status: 'offline',
            lastSeenAt: new Date(Number(offline[index + 1])).toISOString(),
          },
        });
      }
      if (offline.length < EXPIRE_BATCH * 2) return transitions;
    }
  }

  async statuses(userIds: readonly string[]): Promise<Map<string, ReportedPresenceStatus>> {
    const statuses = new Map<string, ReportedPresenceStatus>();
    if (userIds.length === 0) return statuses;
    const values = await this.redis.hmget(STATUS, ...userIds);
    userIds.forEach((userId, index) => {
      const value = values[index];
      if (value === 'online' || value === 'away') statuses.set(userId, value);
    });
    return statuses;
  }

  /**
   * Beats, reaps dead instances, and brings Redis back in line with this instance's connections
   * if it was reaped, or a change of its failed (Redis was unreachable) since the last run.
   */
  async maintain(now: number): Promise<PresenceTransition[]> {
    if (this.closed) return [];
    const [registered, changed] = (await this.redis.eval(
      HEARTBEAT_AND_REAP,
      0,
      this.instanceId,
      now,
      this.instanceTtlMs,
    )) as [number, string[]];
    const transitions = pairs(changed).map(([userId, status]) =>
      transition(userId, status as ReportedPresenceStatus),
    );
    if (registered === 0 || this.outOfStep) {
      this.outOfStep = false;
      transitions.push(...(await this.reconcile(now)));
    }
    return transitions;
  }

  /** Removes what Redis holds for this instance but it does not, and writes back what it does. */
  private async reconcile(now: number): Promise<PresenceTransition[]> {
    const transitions: PresenceTransition[] = [];
    const held = await this.tracked(this.redis.smembers(instanceKey(this.instanceId)));
    for (const member of held) {
      const [userId = '', connectionId = ''] = member.split(' ');
      if (this.local.has(connectionId)) continue;
      // Its graces are ended by `expireDue` on the next upkeep, not timed by the caller.
      const { transition: changed } = await this.removeConnection(userId, connectionId, now);
      if (changed) transitions.push(changed);
    }
    for (const [connectionId, { userId, status }] of this.local) {
      const [restored] = await this.upsert(userId, connectionId, status);
      if (restored) transitions.push(transition(userId, restored));
    }
    return transitions;
  }

  /** A change that may not have reached Redis leaves the instance out of step until reconciled. */
  private async tracked<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      this.outOfStep = true;
      throw error;
    }
  }

  /**
   * Hands this instance's connections over as graces (their clients reconnect elsewhere within
   * it), so nobody waits for the TTL; another instance's `expireDue` ends them. Then closes the
   * client, which this store owns. Best effort: with Redis unreachable the hand-over cannot
   * happen, and the instance's expiring heartbeat gets its connections reaped instead — shutting
   * down must not fail because of it.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.local.clear();
    try {
      await this.redis.eval(RETIRE, 0, this.instanceId, Date.now(), this.graceMs);
    } catch {
      // See above: the heartbeat's expiry covers it.
    } finally {
      await closeRedis(this.redis);
    }
  }

  private async upsert(
    userId: string,
    connectionId: string,
    status: ReportedPresenceStatus,
  ): Promise<[ReportedPresenceStatus | null, ReportedPresenceStatus]> {
    return (await this.tracked(
      this.redis.eval(
        UPSERT_CONNECTION,
        2,
        connectionsKey(userId),
        instanceKey(this.instanceId),
        userId,
        connectionId,
        this.instanceId,
        status,
      ),
    )) as [ReportedPresenceStatus | null, ReportedPresenceStatus];
  }
}

function transition(userId: string, status: ReportedPresenceStatus): PresenceTransition {
  return { userId, presence: { status, lastSeenAt: null } };
}

function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    result.push([flat[index] ?? '', flat[index + 1] ?? '']);
  }
  return result;
}
