import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/app-config';
import { DatabaseTarget, resolveDatabaseTarget } from './database-target';

/**
 * `sanitizeFilter` for every query on this connection: a `$` key that reached a filter from input
 * is matched literally (`{$eq: {...}}`) instead of running as an operator, so deliberate operators
 * must be wrapped in `mongoose.trusted()`. Set on the connection rather than with `mongoose.set`
 * or a global plugin: the connection's setting is read by every query of every model on it (it
 * takes precedence over per-query options, so no query can opt out), it does not depend on module
 * load order relative to `forFeature` compiling the models, and it does not leak into other
 * Mongoose users in the process.
 */
export const MONGOOSE_CONNECTION_OPTIONS = { sanitizeFilter: true } as const;

/**
 * Every write is acknowledged only once it is durable: on a majority of a replica set's members
 * and in their journals (a standalone treats "majority" as itself). The embedded server fsyncs
 * its journal for `j: true` writes. Messages are acked to clients only after this, which is what
 * lets an acked message survive a crash or a failover.
 */
export const DURABLE_WRITE_CONCERN = { w: 'majority', journal: true } as const;

@Global()
@Module({
  providers: [
    {
      provide: DatabaseTarget,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => resolveDatabaseTarget(config),
    },
  ],
  exports: [DatabaseTarget],
})
export class DatabaseTargetModule {}

/**
 * Closes the connection before stopping the embedded server, whatever order Nest runs the
 * shutdown hooks in, so the driver never sees its server vanish mid-conversation.
 */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DatabaseTarget) private readonly target: DatabaseTarget,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.connection.close();
    await this.target.stop();
    new Logger('Database').log(
      `${signal ? `${signal}: ` : ''}closed the ${this.target.mode} database${this.target.mode === 'embedded' ? ' and stopped its server' : ' connection'}`,
    );
  }
}

@Module({
  imports: [
    DatabaseTargetModule,
    MongooseModule.forRootAsync({
      imports: [DatabaseTargetModule],
      inject: [DatabaseTarget],
      useFactory: (target: DatabaseTarget) => ({
        uri: target.uri,
        dbName: target.dbName,
        writeConcern: DURABLE_WRITE_CONCERN,
        ...MONGOOSE_CONNECTION_OPTIONS,
      }),
    }),
  ],
  providers: [DatabaseLifecycle],
})
export class DatabaseModule {}
