import {
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import cookieParser from 'cookie-parser';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { RefreshToken, RefreshTokenSchema } from './refresh-token.schema';
import { RefreshTokensService } from './refresh-tokens.service';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([{ name: RefreshToken.name, schema: RefreshTokenSchema }]),
  ],
  controllers: [AuthController],
  providers: [AuthService, RefreshTokensService, PasswordHasher, LoginThrottle],
})
export class AuthModule implements NestModule, OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  /** Only the auth routes read cookies: nothing else may treat the refresh cookie as a credential. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser()).forRoutes(AuthController);
  }

  /**
   * `req.ip` (per-IP login limits) and `req.secure` (the cookie's Secure flag) come from the
   * socket unless `TRUST_PROXY` names the proxies whose `X-Forwarded-*` headers may be believed.
   * Set here rather than in `createApp` because the auth routes are what depend on it.
   */
  onModuleInit(): void {
    const instance: unknown = this.adapterHost.httpAdapter.getInstance();
    if (isExpressApp(instance)) instance.set('trust proxy', this.config.trustProxy);
  }
}

function isExpressApp(value: unknown): value is { set(setting: string, value: unknown): unknown } {
  return (
    typeof value === 'function' &&
    'set' in value &&
    typeof (value as { set: unknown }).set === 'function'
  );
}
