import type { RunningDevServer } from '../../scripts/temporal-dev-server';

/** Stops the dev server the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __E2E_TEMPORAL__?: RunningDevServer }).__E2E_TEMPORAL__?.stop();
}
