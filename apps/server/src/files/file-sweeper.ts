import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { FilesService } from './files.service';

/** How often files never sent are looked for. */
export const FILE_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes uploads never sent with a message, a day after upload. A TTL index would remove the
 * GridFS file documents but not their chunks, so this sweeps both. Every instance sweeps; two
 * sweeping at once only delete the same files twice.
 */
@Injectable()
export class FileSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FileSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly files: FilesService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), FILE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<number> {
    try {
      const deleted = await this.files.sweepUnsent(now);
      if (deleted > 0) this.logger.log(`Deleted ${deleted} files never sent`);
      return deleted;
    } catch (error) {
      this.logger.error(`Sweeping unsent files failed: ${String(error)}`);
      return 0;
    }
  }
}
