import type { BeforeApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { TEMPORAL_WORKER, TEMPORAL_WORKER_CONNECTION } from './worker.tokens';

/**
 * Owns the running Temporal worker: `run()` starts polling and its promise is awaited by the
 * entry point. Shutdown drains in `beforeApplicationShutdown`, not `onApplicationShutdown`,
 * because Nest runs the latter deepest module first and would close the database under
 * activities that are still running.
 */
@Injectable()
export class TemporalWorkerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private running: Promise<void> | undefined;

  constructor(
    @Inject(TEMPORAL_WORKER) private readonly worker: Worker,
    @Inject(TEMPORAL_WORKER_CONNECTION) private readonly connection: NativeConnection,
  ) {}

  /** Starts polling; the returned promise settles when the worker stops (or fails). */
  run(): Promise<void> {
    if (!this.running) {
      this.logger.log(`Polling task queue "${this.worker.options.taskQueue}" in namespace "${this.worker.options.namespace}"`);
      this.running = this.worker.run();
    }
    return this.running;
  }

  /** Current worker state, for diagnostics. */
  state(): string {
    return this.worker.getState();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.running) {
      if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
      try {
        await this.running;
      } catch (error) {
        this.logger.error(`Worker stopped with an error: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.logger.log('Worker stopped');
    }
    await this.connection.close();
  }
}
