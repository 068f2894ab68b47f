// The hand-written peer of an interpreted sequence: the same steps as plain Temporal code, with
// no engine and no read model. What the interpreted BPMN is measured against.
import { proxyActivities } from '@temporalio/workflow';

export interface PeerActivities {
  benchStep(input: { step: number; variables: Record<string, unknown> }): Promise<Record<string, unknown>>;
}

const { benchStep } = proxyActivities<PeerActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });

export async function handWrittenSequence(steps: number, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let current = variables;
  for (let step = 1; step <= steps; step++) current = { ...current, ...(await benchStep({ step, variables: current })) };
  return current;
}
