import type { Client } from '@temporalio/client';

/**
 * Upper bound of one API request's call to Temporal. Without it the SDK retries an unreachable
 * frontend for about 20 s; with it the caller gets a prompt 503 naming Temporal.
 */
export const TEMPORAL_CALL_TIMEOUT_MS = 5_000;

/** Runs `call` with the request deadline applied to every Temporal RPC inside it. */
export function withTemporalDeadline<T>(client: Client, call: () => Promise<T>): Promise<T> {
  return client.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, call);
}
