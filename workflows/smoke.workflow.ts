import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SmokeActivities, SmokeWorkflowInput, SmokeWorkflowResult } from '@xuncha/contracts';

const { recordSmoke } = proxyActivities<SmokeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/** Walking skeleton: one activity writes one row, proving API → Temporal → worker → database. */
export async function smokeWorkflow(input: SmokeWorkflowInput): Promise<SmokeWorkflowResult> {
  const recordId = await recordSmoke({ workflowId: workflowInfo().workflowId, message: input.message });
  return { recordId };
}
