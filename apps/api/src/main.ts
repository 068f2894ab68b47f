import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidConfigError, loadConfig } from '@xuncha/config';
import { createApp } from './bootstrap';

/** Standalone API process (production topology): no worker, external Temporal and Postgres. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd(), { requireDatabaseUrl: true });
  const { app } = await createApp(config, { worker: false, shutdownHooks: true });
  await app.listen(config.port, config.host);
  new Logger('API').log(`Listening on ${await app.getUrl()} (OpenAPI at /docs, health at /health)`);
}

main().catch((error: unknown) => {
  if (error instanceof InvalidConfigError) console.error(error.message);
  else new Logger('API').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
