import { PGliteDriver } from 'typeorm-pglite';
import { createPGliteDriverModule } from './pglite-driver';

type Pool = {
  query(sql: string, params?: unknown[], callback?: (error: unknown) => void): Promise<unknown>;
  end(callback: (error: unknown) => void): void;
};
type PoolClass = new () => Pool;

/** Runs a failing callback-style query; returns the callback's error and the settled state of the returned promise. */
async function failingCallbackQuery(pool: Pool): Promise<{ callbackError: unknown; returned: PromiseSettledResult<unknown> }> {
  let returned!: Promise<unknown>;
  const callbackError = await new Promise<unknown>((resolve) => {
    returned = pool.query('SELECT * FROM no_such_table', [], (error) => resolve(error));
  });
  const [settled] = await Promise.allSettled([returned]);
  return { callbackError, returned: settled! };
}

describe('createPGliteDriverModule', () => {
  afterAll(async () => {
    const WrappedPool = createPGliteDriverModule('memory://').Pool as unknown as PoolClass;
    await new Promise((resolve) => new WrappedPool().end(resolve));
  });

  it('the unwrapped typeorm-pglite pool also rejects its promise in callback form (nobody awaits it: a crash)', async () => {
    const BasePool = new PGliteDriver({ dataDir: 'memory://' }).driver.Pool as unknown as PoolClass;
    const { callbackError, returned } = await failingCallbackQuery(new BasePool());
    expect(String(callbackError)).toMatch(/no_such_table/);
    expect(returned.status).toBe('rejected');
  });

  it('reports a failing callback-style query only through the callback', async () => {
    const WrappedPool = createPGliteDriverModule('memory://').Pool as unknown as PoolClass;
    const { callbackError, returned } = await failingCallbackQuery(new WrappedPool());
    expect(String(callbackError)).toMatch(/no_such_table/);
    expect(returned.status).toBe('fulfilled');
  });

  it('still rejects the promise of a promise-style query', async () => {
    const WrappedPool = createPGliteDriverModule('memory://').Pool as unknown as PoolClass;
    await expect(new WrappedPool().query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
  });

  it('answers queries', async () => {
    const WrappedPool = createPGliteDriverModule('memory://').Pool as unknown as PoolClass;
    await expect(new WrappedPool().query('SELECT 1 AS one', [])).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});
