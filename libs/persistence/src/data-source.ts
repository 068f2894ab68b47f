import * as fs from 'node:fs';
import type { DatabaseConfig } from '@xuncha/config';
import type { DataSourceOptions, LoggerOptions, Migration } from 'typeorm';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { createPGliteDriverModule } from './pglite-driver';

/** TypeORM log levels kept in every environment: problems and schema changes. */
const LOGGING: LoggerOptions = ['error', 'warn', 'migration'];

/** Session-level advisory lock key held while migrating, so api and worker replicas never migrate at once. */
const MIGRATION_LOCK_KEY = 7_236_101_230;

/**
 * TypeORM options for either a Postgres server or embedded PGlite. The schema comes only
 * from migrations: `synchronize` stays off everywhere.
 */
export function createDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: LOGGING,
    // Migrations own the schema; uuids come from the built-in gen_random_uuid(), no extension needed.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
  };
  if (database.kind === 'postgres') {
    return {
      ...common,
      url: database.url,
      connectTimeoutMS: 5_000,
      extra: { max: 10, idleTimeoutMillis: 30_000 },
    };
  }
  // An in-memory database ("memory://") has no directory to make.
  if (!database.dataDir.startsWith('memory://')) fs.mkdirSync(database.dataDir, { recursive: true });
  return {
    ...common,
    // PGlite is one connection in this process; typeorm-pglite presents it as a pg pool.
    driver: createPGliteDriverModule(database.dataDir),
  };
}

/** A data source for the given database, not yet initialised. */
export function createDataSource(database: DatabaseConfig): DataSource {
  return new DataSource(createDataSourceOptions(database));
}

/**
 * Applies pending migrations under a Postgres advisory lock and returns the ones applied.
 * Several processes may start together; the lock makes the second wait and find nothing to do.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    try {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    } finally {
      await runner.release();
    }
  }
}
