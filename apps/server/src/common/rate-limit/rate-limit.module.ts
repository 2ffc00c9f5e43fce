import { Global, Module } from '@nestjs/common';
import { RateLimitStore } from './rate-limit-store';

/** One `RateLimitStore` (and so at most one Redis client) for the whole app. */
@Global()
@Module({
  providers: [RateLimitStore],
  exports: [RateLimitStore],
})
export class RateLimitModule {}
