import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A uniquely named database made for one test file or one benchmark run. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Runs one query on a fresh connection (independent of the app under test). */
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Removes it, even with connections still open. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<time>_<random>` on the server `adminUrl` names (connected to as administrator). */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => withClient(url.toString(), async (client) => (await client.query<R>(sql, params)).rows),
    drop: () => withClient(adminUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
