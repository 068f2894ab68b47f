// The contract of the process workflow: one workflow type runs every deployed definition.
// Declared once here and imported by the API, the worker and the workflow bundle.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EngineCommand, EngineState, Incident, InstanceStatus, ProcessGraph } from '@xuncha/bpmn-engine';

type RunJobCommand = Extract<EngineCommand, { type: 'runJob' }>;
type OpenUserTaskCommand = Extract<EngineCommand, { type: 'openUserTask' }>;

/** Workflow type name of a process instance. */
export const PROCESS_WORKFLOW_TYPE = 'processWorkflow';

/** Failure type a job handler raises to throw a BPMN error the model can catch. */
export const BPMN_ERROR_TYPE = 'BpmnError';

/** Failure type for a job whose task type has no registered handler. */
export const UNKNOWN_TASK_TYPE = 'UnknownTaskType';

/** Input of the process workflow; `state` is set only when continuing as new. */
export interface ProcessWorkflowInput {
  definition: { key: string; version: number };
  graph: ProcessGraph;
  variables: Record<string, unknown>;
  businessKey: string | null;
  startEventId?: string;
  state?: EngineState;
}

/** What a finished instance returns. */
export interface ProcessWorkflowResult {
  status: InstanceStatus;
  variables: Record<string, unknown>;
}

/** Input of the job activity: the engine's runJob command (less the retry budget the workflow applies) and the instance. */
export type JobRequest = Omit<RunJobCommand, 'type' | 'retries'> & { processInstanceId: string };

/** Activities the process workflow calls. */
export interface ProcessActivities {
  /** Runs a job with the handler registered for its task type; returns the variables to merge. */
  runJob(job: JobRequest): Promise<Record<string, unknown>>;
}

/** An open user task as the workflow knows it: the inbox-relevant part of the engine's openUserTask command. */
export type OpenUserTaskView = Pick<
  OpenUserTaskCommand,
  'taskId' | 'elementId' | 'name' | 'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate'
>;

/** The live view of an instance, answered by a query. */
export interface InstanceView {
  status: InstanceStatus;
  definition: { key: string; version: number };
  businessKey: string | null;
  activeElements: Array<{ elementId: string; kind: string; since: string }>;
  variables: Record<string, unknown>;
  incidents: Incident[];
  openUserTasks: OpenUserTaskView[];
}

/** Completes an open user task. An update rather than a signal: the caller needs an honest yes or no. */
export const completeUserTaskUpdate = defineUpdate<void, [{ taskId: string; variables?: Record<string, unknown>; completedBy?: string }]>(
  'completeUserTask',
);

/** Delivers a message; answers how many subscriptions of this instance it reached. */
export const deliverMessageUpdate = defineUpdate<number, [{ name: string; correlationKey: string; variables?: Record<string, unknown> }]>(
  'deliverMessage',
);

/** Retries an open incident. */
export const retryIncidentUpdate = defineUpdate<void, [{ incidentId: string }]>('retryIncident');

/** Cancels the instance. */
export const cancelInstanceSignal = defineSignal('cancelInstance');

/** The instance as it is now. */
export const instanceViewQuery = defineQuery<InstanceView>('instanceView');
