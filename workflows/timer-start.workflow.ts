import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { TimerStartActivities, TimerStartInput } from '@xuncha/contracts';

const { fireTimerStart } = proxyActivities<TimerStartActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One firing of a timer start event: the schedule starts this workflow, whose activity starts
 * the process instance at that start event (with a calendar snapshot and the engine's zone,
 * like any start) and keeps the schedule's next firings. Answers the instance id.
 */
export async function timerStartWorkflow(input: TimerStartInput): Promise<string | null> {
  const info = workflowInfo();
  return fireTimerStart({ ...input, scheduleWorkflowId: info.workflowId, startedAt: info.startTime.getTime() });
}
