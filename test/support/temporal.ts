/** Address of the Temporal dev server the global setup started for this run. */
export function e2eTemporalAddress(): string {
  const address = process.env.E2E_TEMPORAL_ADDRESS;
  if (!address) throw new Error('E2E_TEMPORAL_ADDRESS is not set: run the e2e tier through test/jest-e2e.config.js');
  return address;
}

/** History length after which the e2e dev server suggests continue-as-new (the server default is 4096 events). */
export const E2E_SUGGEST_CONTINUE_AS_NEW_AFTER = 120;
