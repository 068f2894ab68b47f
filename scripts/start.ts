import 'reflect-metadata';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AppConfig } from '@xuncha/config';
import { describeDatabase, InvalidConfigError, loadConfig, nestLogLevels, temporalLogLevel } from '@xuncha/config';
import { DEMO_USERS } from '../apps/api/src/auth/demo-users';
import { createApp } from '../apps/api/src/bootstrap';
import { UserRepository } from '@xuncha/persistence';
import type { RunningDevServer } from './temporal-dev-server';
import { startTemporalDevServer } from './temporal-dev-server';

/**
 * `npm start`: everything on one machine in one command. A Temporal dev server persisting under
 * DATA_DIR (unless TEMPORAL_ADDRESS names a running one), the database (embedded PGlite unless
 * DATABASE_URL is set), and the API with its worker in this process. Ctrl-C stops all of it.
 */
async function main(): Promise<void> {
  const logger = new Logger('Start');
  const external = Boolean(process.env.TEMPORAL_ADDRESS?.trim());
  let config: AppConfig = loadConfig();
  Logger.overrideLogger(nestLogLevels(config.logLevel));
  // This script orchestrates shutdown itself, so the Temporal runtime must not react to signals on its own.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(temporalLogLevel(config.logLevel)) });

  let devServer: RunningDevServer | undefined;
  if (!external) {
    logger.log(`Starting the Temporal dev server on 127.0.0.1:${config.devServer.port}…`);
    devServer = await startTemporalDevServer({
      namespace: config.temporal.namespace,
      port: config.devServer.port,
      uiPort: config.devServer.uiPort,
      dbFilename: path.join(config.dataDir, 'temporal.db'),
      log: (line) => logger.log(line),
    });
    config = { ...config, temporal: { ...config.temporal, address: devServer.address } };
  }

  let app: Awaited<ReturnType<typeof createApp>>['app'] | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, exitCode: number): Promise<void> => {
    stopping ??= (async () => {
      logger.log(`${reason}: stopping the API, worker and database…`);
      try {
        await app?.close();
      } catch (error) {
        logger.error(`While closing the app: ${error instanceof Error ? error.message : String(error)}`);
        exitCode = exitCode || 1;
      }
      if (devServer) {
        logger.log('Stopping the Temporal dev server…');
        await devServer.stop().catch((error: unknown) => {
          logger.error(`While stopping Temporal: ${error instanceof Error ? error.message : String(error)}`);
        });
      }
      logger.log('Stopped.');
      process.exit(exitCode);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      void stop(`${signal} received`, 0);
    });
  }

  try {
    const created = await createApp(config, { worker: true, shutdownHooks: false });
    app = created.app;
    created.worker?.then(
      () => (stopping ? undefined : stop('The worker stopped', 1)),
      (error: unknown) => stop(`The worker failed: ${error instanceof Error ? error.message : String(error)}`, 1),
    );
    await app.listen(config.port, config.host);
  } catch (error) {
    await devServer?.stop().catch(() => undefined);
    throw error;
  }

  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  // The embedded mode is for trying the product: give every actor group someone to log in as.
  const demo = config.database.kind === 'pglite' && config.nodeEnv !== 'production';
  if (demo) {
    const added = await app.get(UserRepository).seed(DEMO_USERS);
    if (added > 0) logger.log(`Seeded ${added} demo users`);
  }
  const tokenHelp = demo
    ? [
        '  Demo users   ' + DEMO_USERS.map((user) => `${user.sub} ${user.name} (${user.groups.join(', ')})`).join('\n               '),
        '  Get a token  curl -s -X POST ' + url + "/auth/dev-token -H 'content-type: application/json' -d '{\"sub\":\"wang.fang\"}'",
        '               then send  Authorization: Bearer <access_token>  with every call',
      ]
    : [];
  const lines = [
    '',
    '  巡察协同流程引擎 is running',
    `  API          ${url}`,
    `  OpenAPI      ${url}/docs`,
    `  Health       ${url}/health`,
    `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
    ...(devServer?.uiUrl ? [`  Temporal UI  ${devServer.uiUrl}`] : []),
    `  Database     ${describeDatabase(config.database)}`,
    ...tokenHelp,
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  if (error instanceof InvalidConfigError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
