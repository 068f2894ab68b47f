// The hand-written peer of an interpreted sequence: the same steps as plain Temporal code, with
// no engine and no read model. What the interpreted BPMN is measured against.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export interface PeerActivities {
  benchStep(input: { step: number; variables: Record<string, unknown> }): Promise<Record<string, unknown>>;
}

const { benchStep } = proxyActivities<PeerActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });

export async function handWrittenSequence(steps: number, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let current = variables;
  for (let step = 1; step <= steps; step++) current = { ...current, ...(await benchStep({ step, variables: current })) };
  return current;
}

/** Completes the waiting peer instance with the person's answer. */
export const completeSignal = defineSignal<[Record<string, unknown>]>('complete');

/** The hand-written peer of an instance waiting on one person: open until it is signalled. */
export async function handWrittenWaiting(variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let answer: Record<string, unknown> | undefined;
  setHandler(completeSignal, (values) => {
    answer = values;
  });
  await condition(() => answer !== undefined);
  return { ...variables, ...answer };
}
