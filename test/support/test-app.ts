import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AppConfig, DatabaseConfig } from '@xuncha/config';
import { loadConfig } from '@xuncha/config';
import { createApp } from '../../apps/api/src/bootstrap';
import { e2eTemporalAddress } from './temporal';

/** An in-process API (and optionally worker) listening on a free port. */
export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  url: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Options of {@link startTestApp}. */
export interface TestAppOptions {
  database: DatabaseConfig;
  worker: boolean;
  temporalAddress?: string;
  /** Defaults to a queue unique to this app, so test files never steal each other's tasks. */
  taskQueue?: string;
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
  };
  const { app } = await createApp(config, { worker: options.worker, shutdownHooks: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    config,
    url,
    get: (path) => call(url + path),
    post: (path, body) =>
      call(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    close: () => app.close(),
  };
}
