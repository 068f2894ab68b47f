import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditRepository } from '@xuncha/persistence';

/** How often the trail is looked after: a checkpoint for records since the last, and pruning past retention. */
const MAINTENANCE_MS = 10 * 60_000;

/** Signs a checkpoint when records wait for one, prunes records past the retention period, and signs one at shutdown. */
@Injectable()
export class AuditMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditTrail');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly audit: AuditRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), MAINTENANCE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.audit.checkpointIfPending().catch((error: unknown) => this.logger.warn(`no checkpoint at shutdown: ${error instanceof Error ? error.message : String(error)}`));
  }

  async tick(): Promise<void> {
    try {
      await this.audit.checkpointIfPending();
      const pruned = await this.audit.prune();
      if (pruned > 0) this.logger.log(`pruned ${pruned} audit records past the retention period`);
    } catch (error) {
      this.logger.warn(`audit maintenance failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
