/** Address of the Temporal dev server the global setup started for this run. */
export function e2eTemporalAddress(): string {
  const address = process.env.E2E_TEMPORAL_ADDRESS;
  if (!address) throw new Error('E2E_TEMPORAL_ADDRESS is not set: run the e2e tier through test/jest-e2e.config.js');
  return address;
}
