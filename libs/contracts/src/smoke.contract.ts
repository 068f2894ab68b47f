// The walking skeleton's contract, shared by the API, the worker and the workflow bundle.
// It proves the wiring through every layer and is replaced by the engine's contract later.

/** Workflow type name of the smoke workflow. */
export const SMOKE_WORKFLOW_TYPE = 'smokeWorkflow';

/** Prefix of smoke workflow ids, so they are easy to find in Temporal UI. */
export const SMOKE_WORKFLOW_ID_PREFIX = 'smoke-';

/** Input of the smoke workflow. */
export interface SmokeWorkflowInput {
  message: string;
}

/** What the smoke workflow returns once its activity has written the row. */
export interface SmokeWorkflowResult {
  recordId: string;
}

/** Input of the activity that writes the smoke row. */
export interface RecordSmokeInput {
  workflowId: string;
  message: string;
}

/** Activities the smoke workflow calls; implemented by Nest providers in the worker. */
export interface SmokeActivities {
  /** Writes one row for the workflow, idempotently (a retried attempt returns the same row id). */
  recordSmoke(input: RecordSmokeInput): Promise<string>;
}
