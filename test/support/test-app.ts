import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AppConfig, DatabaseConfig } from '@xuncha/config';
import { loadConfig } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { AuditRepository } from '@xuncha/persistence';
import { TokensService } from '../../apps/api/src/auth/tokens.service';
import { createApp } from '../../apps/api/src/bootstrap';
import { e2eTemporalAddress } from './temporal';

/** An in-process API (and optionally worker) listening on a free port. */
export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  url: string;
  /** GET as `as` (default {@link TEST_ADMIN}); `null` sends no token. */
  get(path: string, as?: Principal | null): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown, as?: Principal | null): Promise<{ status: number; body: unknown }>;
  put(path: string, body: unknown, as?: Principal | null): Promise<{ status: number; body: unknown }>;
  patch(path: string, body: unknown, as?: Principal | null): Promise<{ status: number; body: unknown }>;
  delete(path: string, as?: Principal | null): Promise<{ status: number; body: unknown }>;
  /** The Authorization header of a token for `as` (default {@link TEST_ADMIN}). */
  auth(as?: Principal): { authorization: string };
  close(): Promise<void>;
}

/** Who tests act as unless they say otherwise: a process administrator who is also a supervisor (operates every process, sees every task, acts only where a candidate). */
export const TEST_ADMIN: Principal = { sub: 'e2e-admin', name: '测试管理员', groups: ['process-admin', 'supervisor'] };

/** The system administrator (系统管理员): keeps the directory of users and units, reads no business data. */
export const TEST_SYSTEM_ADMIN: Principal = { sub: 'e2e-system-admin', name: '测试系统管理员', groups: ['system-admin'] };

/** Options of {@link startTestApp}. */
export interface TestAppOptions {
  database: DatabaseConfig;
  worker: boolean;
  temporalAddress?: string;
  /** Defaults to a queue unique to this app, so test files never steal each other's tasks. */
  taskQueue?: string;
  /** The shipped processes deployed at start (default: the project's processes/). */
  processesDir?: string;
  /** Allow the test clock (TEST_CLOCK=1): instances on virtual time, advanced through the API. */
  testClock?: boolean;
  /** Authentication settings over the defaults (an identity provider's JWKS, more issuers). */
  auth?: Partial<AppConfig['auth']>;
}

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Keeps the Temporal runtime as quiet as Nest in tests; installed once per test file's module registry. */
function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // Already installed by an earlier app in this file.
  }
}

/** Boots the real application (same bootstrap as production) against real Temporal and a real database. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  quietTemporalRuntime();
  const base = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const config: AppConfig = {
    ...base,
    database: options.database,
    temporal: {
      ...base.temporal,
      address: options.temporalAddress ?? e2eTemporalAddress(),
      taskQueue: options.taskQueue ?? `e2e-${randomBytes(4).toString('hex')}`,
    },
    ...(options.processesDir ? { processesDir: options.processesDir } : {}),
    ...(options.testClock ? { testClock: true } : {}),
    ...(options.auth ? { auth: { ...base.auth, ...options.auth } } : {}),
  };
  const { app } = await createApp(config, { worker: options.worker, shutdownHooks: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = app.get(TokensService);
  const auth = (as: Principal = TEST_ADMIN): { authorization: string } => ({ authorization: `Bearer ${tokens.issue(as).access_token}` });
  const headers = (as: Principal | null | undefined, json: boolean): Record<string, string> => ({
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(as === null ? {} : auth(as)),
  });
  return {
    app,
    config,
    url,
    get: (path, as) => call(url + path, { headers: headers(as, false) }),
    post: (path, body, as) => call(url + path, { method: 'POST', headers: headers(as, true), body: JSON.stringify(body) }),
    put: (path, body, as) => call(url + path, { method: 'PUT', headers: headers(as, true), body: JSON.stringify(body) }),
    patch: (path, body, as) => call(url + path, { method: 'PATCH', headers: headers(as, true), body: JSON.stringify(body) }),
    delete: (path, as) => call(url + path, { method: 'DELETE', headers: headers(as, false) }),
    auth,
    // Every busy run leaves a whole audit trail: a broken chain fails the file that broke it.
    close: async () => {
      const audit = app.get(AuditRepository);
      await audit.idle();
      // A database a test has taken away cannot be verified; that is not a broken chain.
      const verification = await audit.verify().catch(() => null);
      await app.close();
      if (verification && !verification.ok) throw new Error(`the audit trail does not verify after this run: ${JSON.stringify(verification.broken)}`);
    },
  };
}
