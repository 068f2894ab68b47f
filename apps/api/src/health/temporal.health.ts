import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { TEMPORAL_CLIENT } from '@xuncha/runtime';

/** How long the Temporal probe may take before the indicator reports down. */
const PROBE_TIMEOUT_MS = 3_000;

/** Reports Temporal up when the frontend answers for the configured namespace. */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(key = 'temporal') {
    const indicator = this.health.check(key);
    const { address, namespace } = this.config.temporal;
    try {
      await this.client.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () =>
        this.client.workflowService.describeNamespace({ namespace }),
      );
      return indicator.up({ address, namespace });
    } catch (error) {
      return indicator.down({ address, namespace, message: error instanceof Error ? error.message : String(error) });
    }
  }
}
