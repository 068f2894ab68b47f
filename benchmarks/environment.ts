// What the durable sections run against: one Temporal dev server and one fresh Postgres
// database for the whole run, and the real application on them.
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AppConfig } from '@xuncha/config';
import { loadConfig } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { TokensService } from '../apps/api/src/auth/tokens.service';
import { createApp } from '../apps/api/src/bootstrap';
import type { ScratchDatabase } from '../scripts/scratch-database';
import { createScratchDatabase } from '../scripts/scratch-database';
import type { RunningDevServer } from '../scripts/temporal-dev-server';
import { startTemporalDevServer } from '../scripts/temporal-dev-server';

/** The Postgres server benchmark databases are made on (trust auth on this machine kind). */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = ScratchDatabase;

export function createBenchDatabase(): Promise<BenchDatabase> {
  return createScratchDatabase(ADMIN_URL, 'xuncha_bench');
}

let temporal: Promise<RunningDevServer> | undefined;

/** The run's Temporal dev server, started on first use. */
export function benchTemporal(): Promise<RunningDevServer> {
  temporal ??= startTemporalDevServer({ namespace: 'default', log: (line) => process.stdout.write(`[bench] ${line}\n`) });
  return temporal;
}

export async function stopBenchTemporal(): Promise<void> {
  if (temporal) await (await temporal).stop();
  temporal = undefined;
}

export interface BenchApp {
  app: INestApplication;
  config: AppConfig;
  url: string;
  /** The Authorization header value for `as`. */
  authorization(as: Principal): string;
  get(path: string, as: Principal): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown, as: Principal, contentType?: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Temporal's runtime logging warnings only, and leaving signals to the benchmark; once per run. */
export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // Installed by an earlier section.
  }
}

/** The real application (API, and the worker when asked) on the bench database and Temporal. */
export async function startBenchApp(database: BenchDatabase, worker: boolean, temporalOptions: Partial<AppConfig['temporal']> = {}): Promise<BenchApp> {
  quietRuntime();
  const server = await benchTemporal();
  const base = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn' });
  const config: AppConfig = {
    ...base,
    database: { kind: 'postgres', url: database.url },
    temporal: { ...base.temporal, address: server.address, taskQueue: `bench-${randomBytes(4).toString('hex')}`, ...temporalOptions },
  };
  const { app } = await createApp(config, { worker, shutdownHooks: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = app.get(TokensService);
  const tokenCache = new Map<string, string>();
  const auth = (as: Principal): string => {
    let token = tokenCache.get(as.sub);
    if (!token) {
      token = tokens.issue(as).access_token;
      tokenCache.set(as.sub, token);
    }
    return `Bearer ${token}`;
  };
  const call = async (path: string, init: RequestInit): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(url + path, init);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    app,
    config,
    url,
    authorization: auth,
    get: (path, as) => call(path, { headers: { authorization: auth(as) } }),
    post: (path, body, as, contentType = 'application/json') =>
      call(path, { method: 'POST', headers: { authorization: auth(as), 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    close: () => app.close(),
  };
}
