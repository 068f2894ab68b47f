import { startTemporalDevServer } from '../../scripts/temporal-dev-server';
import { E2E_SUGGEST_CONTINUE_AS_NEW_AFTER } from './temporal';

/**
 * Starts one real Temporal dev server for the e2e run, through the same provisioning
 * (TEMPORAL_CLI_PATH, PATH, .temporal/bin, go install, SDK download) that `npm start` uses.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const server = await startTemporalDevServer({
    namespace: 'default',
    // Suggest continue-as-new after a few hundred events instead of thousands, so long conformance cases cross runs.
    dynamicConfig: [`limit.historyCount.suggestContinueAsNew=${E2E_SUGGEST_CONTINUE_AS_NEW_AFTER}`],
    log: (line) => process.stdout.write(`[e2e] ${line}\n`),
  });
  process.env.E2E_TEMPORAL_ADDRESS = server.address;
  (globalThis as { __E2E_TEMPORAL__?: typeof server }).__E2E_TEMPORAL__ = server;
  process.stdout.write(`[e2e] Temporal dev server ${server.address} ready in ${Date.now() - started} ms\n`);
}
