import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { InvalidConfigError, loadConfig, nestLogLevels, temporalLogLevel } from '@xuncha/config';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerAppModule } from './worker-app.module';

/**
 * Standalone worker: polls the task queue until SIGINT/SIGTERM. The Temporal runtime catches
 * those signals and drains the worker; then the database and connections close and it exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd(), { requireDatabaseUrl: true });
  Runtime.install({ logger: new DefaultLogger(temporalLogLevel(config.logLevel)) });
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config), {
    logger: nestLogLevels(config.logLevel),
  });
  await app.get(TemporalWorkerService).run();
  await app.close();
}

main().catch((error: unknown) => {
  if (error instanceof InvalidConfigError) console.error(error.message);
  else new Logger('Worker').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
