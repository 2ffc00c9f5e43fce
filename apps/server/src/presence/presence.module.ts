import { Logger, Module } from '@nestjs/common';
import { connectRedis } from '../common/redis/connect-redis';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { LocalPresenceStore } from './local-presence-store';
import { PresenceEvents } from './presence-events';
import { PRESENCE_STORE, type PresenceStore } from './presence-store';
import { PRESENCE_MAINTENANCE_MS, PresenceService } from './presence.service';
import { RedisPresenceStore } from './redis-presence-store';

/** Several missed heartbeats: a busy event loop or a Redis blip does not get an instance reaped. */
const INSTANCE_TTL_MS = 5 * PRESENCE_MAINTENANCE_MS;

/** In this process, or with `REDIS_URL` (as for the rate limits) in Redis for every instance. */
export function createPresenceStore(config: AppConfig): PresenceStore {
  if (!config.redisUrl) return new LocalPresenceStore(config.presenceGraceMs);
  const redis = connectRedis(
    config.redisUrl,
    {
      connectionName: 'parley-presence',
      // Commands wait in order through a short reconnect (a connect must not overtake nothing,
      // and its disconnect must not overtake it), but no handler waits on Redis for long.
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
    },
    new Logger('PresenceStore'),
    { down: 'presence is not updated until it is back', back: 'presence is updated again' },
  );
  return new RedisPresenceStore(redis, {
    graceMs: config.presenceGraceMs,
    instanceTtlMs: INSTANCE_TTL_MS,
  });
}

/**
 * Presence of users. Depends on users and config only: rooms and chat build on it, never the
 * other way round.
 */
@Module({
  imports: [UsersModule],
  providers: [
    PresenceService,
    PresenceEvents,
    { provide: PRESENCE_STORE, inject: [AppConfig], useFactory: createPresenceStore },
  ],
  exports: [PresenceService, PresenceEvents],
})
export class PresenceModule {}
