// The contract of timer start events: a Temporal Schedule per timer start event of a process's
// latest version starts this small workflow at each firing, which starts the instance.

/** Workflow type the timer start schedules start. */
export const TIMER_START_WORKFLOW_TYPE = 'timerStartWorkflow';

/** Which timer start event fired. */
export interface TimerStartInput {
  definitionKey: string;
  definitionVersion: number;
  startEventId: string;
}

/** A firing, as the activity that starts its instance gets it. */
export interface TimerStartFiring extends TimerStartInput {
  /** The workflow the schedule started: its id carries the firing's scheduled time. */
  scheduleWorkflowId: string;
  /** When that workflow started (epoch ms), should its id not carry the scheduled time. */
  startedAt: number;
}

/** Activities of the timer start workflow. */
export interface TimerStartActivities {
  /** Starts the instance of a firing (once, however often it runs) and keeps the schedule's next firings; answers the instance id, or null when the version no longer fires. */
  fireTimerStart(firing: TimerStartFiring): Promise<string | null>;
}
