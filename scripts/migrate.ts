import 'reflect-metadata';
import { describeDatabase, InvalidConfigError, loadConfig } from '@xuncha/config';
import { createDataSource, runPendingMigrations } from '@xuncha/persistence';

/** `npm run migration:run|revert|show` against DATABASE_URL (or the embedded database). */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    throw new Error(`Unknown command "${command ?? ''}"; use run, revert or show`);
  }
  const config = loadConfig();
  const dataSource = await createDataSource(config.database).initialize();
  try {
    console.log(`Database: ${describeDatabase(config.database)}`);
    if (command === 'run') {
      const applied = await runPendingMigrations(dataSource);
      console.log(applied.length > 0 ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
    } else {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'There are pending migrations.' : 'No pending migrations.');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof InvalidConfigError || error instanceof Error ? error.message : String(error));
  process.exit(1);
});
