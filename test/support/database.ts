import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server the tests create their databases on; trust auth on this machine kind. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A uniquely named database that exists for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one query on a fresh connection (independent of the app under test). */
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `xuncha_e2e_<random>` on the test server; `drop()` removes it even with open connections. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `xuncha_e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
