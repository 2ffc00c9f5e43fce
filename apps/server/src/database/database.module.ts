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
      useFactory: (target: DatabaseTarget) => ({ uri: target.uri, dbName: target.dbName }),
    }),
  ],
  providers: [DatabaseLifecycle],
})
export class DatabaseModule {}
