import { Logger, Module } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ClueJobHandlers, ClueSummaryHandlers, JobHandlerRegistry, ProcessActivitiesProvider, TimerStartActivitiesProvider } from '@xuncha/activities';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { encryptedDataConverter } from '@xuncha/runtime';
import { TemporalWorkerService } from './temporal-worker.service';
import { workflowSource } from './workflow-bundle';
import { ensureSearchAttributes } from './search-attributes';
import { TEMPORAL_WORKER, TEMPORAL_WORKER_CONNECTION } from './worker.tokens';

/**
 * Creates the Temporal worker from Nest providers: activities are methods of injectable
 * classes, so they get repositories and services by injection.
 */
@Module({
  providers: [
    JobHandlerRegistry,
    ClueJobHandlers,
    ClueSummaryHandlers,
    ProcessActivitiesProvider,
    TimerStartActivitiesProvider,
    {
      provide: TEMPORAL_WORKER_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => NativeConnection.connect({ address: config.temporal.address }),
    },
    {
      provide: TEMPORAL_WORKER,
      inject: [APP_CONFIG, TEMPORAL_WORKER_CONNECTION, ProcessActivitiesProvider, TimerStartActivitiesProvider],
      useFactory: async (config: AppConfig, connection: NativeConnection, process: ProcessActivitiesProvider, timerStarts: TimerStartActivitiesProvider) => {
        const started = Date.now();
        const added = await ensureSearchAttributes(connection, config.temporal.namespace);
        if (added.length > 0) new Logger('TemporalWorker').log(`Registered search attributes ${added.join(', ')} in namespace "${config.temporal.namespace}"`);
        const worker = await Worker.create({
          connection,
          namespace: config.temporal.namespace,
          taskQueue: config.temporal.taskQueue,
          dataConverter: encryptedDataConverter(config.payload),
          ...workflowSource(config.workflowBundlePath),
          // On shutdown, running activities get this long to finish before they are cancelled.
          shutdownGraceTime: '10 seconds',
          ...(config.temporal.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: config.temporal.maxCachedWorkflows }),
          activities: { ...process.activities(), ...timerStarts.activities() },
        });
        new Logger('TemporalWorker').log(`Worker ready in ${Date.now() - started} ms`);
        return worker;
      },
    },
    TemporalWorkerService,
  ],
  exports: [TemporalWorkerService, JobHandlerRegistry],
})
export class WorkerModule {}
