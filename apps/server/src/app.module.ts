import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { AuthCoreModule } from './common/auth/auth-core.module';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { FilesModule } from './files/files.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { RoomsModule } from './rooms/rooms.module';
import { SearchModule } from './search/search.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

/** Takes the config as an argument so tests can boot several isolated apps in one process. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RateLimitModule,
        AuthCoreModule,
        AuthModule,
        UsersModule,
        RoomsModule,
        FilesModule,
        MessagesModule,
        SearchModule,
        ChatModule,
        HealthModule,
        WebModule,
      ],
    };
  }
}
