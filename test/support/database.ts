import type { ScratchDatabase } from '../../scripts/scratch-database';
import { createScratchDatabase } from '../../scripts/scratch-database';

/** Server the tests create their databases on; trust auth on this machine kind. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A uniquely named database that exists for one test file. */
export type TestDatabase = ScratchDatabase;

/** Creates `xuncha_e2e_<random>` on the test server; `drop()` removes it even with open connections. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createScratchDatabase(TEST_DATABASE_URL, 'xuncha_e2e');
}
