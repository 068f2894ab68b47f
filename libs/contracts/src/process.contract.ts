// The contract of the process workflow: one workflow type runs every deployed definition.
// Declared once here and imported by the API, the worker and the workflow bundle.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarData } from '@xuncha/calendar';
import type { CallBinding, EngineCommand, EngineState, ErrorCatches, Incident, InstanceStatus, ProcessGraph, TraceEntry } from '@xuncha/bpmn-engine';
import type { HistoryRecord, TaskView, TimerRecord } from './task.contract';

type RunJobCommand = Extract<EngineCommand, { type: 'runJob' }>;

/** Workflow type name of a process instance. */
export const PROCESS_WORKFLOW_TYPE = 'processWorkflow';

/** Failure type a job handler raises to throw a BPMN error the model can catch. */
export const BPMN_ERROR_TYPE = 'BpmnError';

/** Failure type for a job whose task type has no registered handler. */
export const UNKNOWN_TASK_TYPE = 'UnknownTaskType';

/** A deployed definition version an instance is pinned to. */
export interface DefinitionRef {
  key: string;
  version: number;
}

/**
 * Virtual time: the instance's clock starts at `start` and stands still until `advanceClock`
 * moves it; timers on the way fire in due order after real sleeps shortened `scale` times.
 * Used to rehearse a months-long process in seconds (the conformance suite's Temporal tier).
 */
export interface VirtualClock {
  /** Epoch ms the clock shows now. */
  now: number;
  /** Epoch ms the clock may run up to (timers due by then fire). */
  horizon: number;
  /** Virtual milliseconds per real millisecond. */
  scale: number;
}

/** A child instance a call activity started. */
export interface StartedChild {
  /** The call activity's element instance id. */
  childId: string;
  elementId: string;
  workflowId: string;
}

/** An open incident of a child instance (or of one of its own children), as its callers show it. */
export interface ChildIncident {
  /** The instance (workflow id) the incident is in, where it is retried. */
  instanceId: string;
  processId: string;
  elementId: string;
  incidentId: string;
  message: string;
}

/** What a child reports to its caller: its open incidents and its descendants', newest report by `seq`. */
export interface ChildIncidentReport {
  workflowId: string;
  seq: number;
  incidents: ChildIncident[];
}

/** What a run hands to the next when it continues as new, besides the engine state. */
export interface CarriedState {
  state: EngineState;
  trace: TraceEntry[];
  /** Trace entries dropped from the front to bound the carried size. */
  traceDropped: number;
  userTasks: TaskView[];
  children: StartedChild[];
  /** Runs so far, this one included. */
  run: number;
  /** Incidents the running children reported, per child workflow id. */
  childIncidents?: Record<string, { seq: number; incidents: ChildIncident[] }>;
  /** The last incident report this instance sent its caller. */
  incidentReport?: { seq: number; incidents: ChildIncident[] };
  /** The sequence number of the last read-model write (0.4.0 on), so the next run's writes order after it. */
  writeSeq?: number;
}

/** Input of the process workflow; `carried` is set only when continuing as new. */
export interface ProcessWorkflowInput {
  definition: DefinitionRef;
  graph: ProcessGraph;
  variables: Record<string, unknown>;
  businessKey: string | null;
  startEventId?: string;
  clock?: VirtualClock;
  /**
   * The working-day calendar (shipped data plus overrides) from the start year on, taken when
   * the instance starts. The instance keeps it, so a replay counts the same days; an edited
   * calendar reaches running instances only through {@link calendarChangedSignal}.
   */
  calendar?: CalendarData | null;
  /**
   * The engine's time zone when the instance was started (IANA, e.g. Asia/Shanghai): date-times
   * without an offset are read in it for the instance's whole life. Absent: Asia/Shanghai.
   */
  timeZone?: string;
  /** For a child: the error codes its caller catches above the call activity; see EngineState.parentCatches. */
  parentCatches?: ErrorCatches | null;
  /** The group user tasks that name nobody are offered to (the engine's configuration when the instance started). */
  defaultCandidateGroup?: string | null;
  carried?: CarriedState;
}

/** What a finished instance returns. */
export interface ProcessWorkflowResult {
  status: InstanceStatus;
  variables: Record<string, unknown>;
  /** Set when the instance ended throwing an error it did not catch to its caller, which catches it. */
  error?: { code: string; message: string | null };
}

/** Input of the job activity: the engine's runJob command (less the retry budget the workflow applies) and the instance. */
export type JobRequest = Omit<RunJobCommand, 'type' | 'retries'> & { processInstanceId: string };

/** Which process a call activity starts, as the engine's startChild command names it. */
export interface CalledProcessRequest {
  processId: string;
  binding: CallBinding;
  versionTag: string | null;
  /** The calling instance's definition, for `deployment` binding. */
  caller: DefinitionRef;
}

/** The definition version a child instance runs. */
export interface CalledProcess {
  definition: DefinitionRef;
  graph: ProcessGraph;
}

/** Failure type when no deployed version matches a call activity. */
export const PROCESS_NOT_DEPLOYED_TYPE = 'ProcessNotDeployed';
/**
 * Failure type of a read-model write the database refused for its content (a value too long, a
 * broken constraint): retrying cannot help, so the instance shows an incident naming the write
 * instead of retrying for ever.
 */
export const READ_MODEL_REJECTED_TYPE = 'ReadModelRejected';

/** How the read model shows an instance: the engine status, or `incident` while one is open. */
export type InstanceState = 'active' | 'completed' | 'cancelled' | 'incident';

/** A change of an instance for the read models (instance row, message subscriptions). */
export interface InstanceRecord {
  instanceId: string;
  parentInstanceId: string | null;
  definition: DefinitionRef;
  businessKey: string | null;
  state: InstanceState;
  startedAt: number;
  endedAt: number | null;
  /** Open incidents now. */
  incidents: number;
  /** Final variables, when the instance has ended. */
  variables: Record<string, unknown> | null;
  openSubscriptions: Array<{ subscriptionId: string; elementId: string; messageName: string; correlationKey: string }>;
  closedSubscriptions: string[];
  /** User tasks that changed, as they are now. */
  tasks: TaskView[];
  /** Timers scheduled, fired or cancelled. */
  timers: TimerRecord[];
  /** New history entries. */
  history: HistoryRecord[];
  /**
   * Order of this write among the instance's writes (0.4.0 on). The read models apply a write only
   * if none with a higher number was applied: a write carried by a job activity that ran late is
   * then skipped, since every later write repeats what it carried.
   */
  writeSeq?: number | null;
}

/** A buffered message a subscription collected as the read model recorded it; claimed for this instance's process. */
export interface CollectedMessage {
  subscriptionId: string;
  messageKey: string;
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
}

/** What recording an instance change brought back: buffered messages its new subscriptions collected. */
export interface RecordOutcome {
  messages: CollectedMessage[];
  /**
   * Set when the numbered write was not applied because the read models hold a higher number
   * (the instance was reset to an earlier point, or its id was used before): that number. The
   * instance then numbers its writes above it and writes the change again.
   */
  behind?: number;
}

/** What the job activity that carries a read-model write answers: the job's variables, and whether the write was made. */
export interface RecordedJobResult {
  variables: Record<string, unknown>;
  /** False when the database did not take the write (in time): the instance then writes it again itself. */
  recorded: boolean;
  /** As in {@link RecordOutcome.behind}. */
  behind?: number;
}

/** Activities the process workflow calls. */
export interface ProcessActivities {
  /** Runs a job with the handler registered for its task type; returns the variables to merge. */
  runJob(job: JobRequest): Promise<Record<string, unknown>>;
  /**
   * Writes the change that created the job to the read models (0.4.0 on), then runs the job: the
   * write costs no activity of its own. A write the database does not take does not fail the
   * job (its retries are for its handler): the answer says so and the instance writes it again.
   */
  runJobAndRecord(request: { job: JobRequest; record: InstanceRecord }): Promise<RecordedJobResult>;
  /** Finds the deployed version a call activity starts. */
  loadCalledProcess(request: CalledProcessRequest): Promise<CalledProcess>;
  /**
   * Writes an instance change to the read models; idempotent. New subscriptions collect the
   * buffered messages waiting for them (answered, for the instance to correlate); an ended
   * instance releases its message start locks. The first release answered nothing.
   */
  recordInstance(record: InstanceRecord): Promise<RecordOutcome | void>;
  /** Gives back a collected message the instance no longer waited for, so another instance of its process may get it. */
  releaseMessage(request: { messageKey: string; processId: string; instanceId: string }): Promise<void>;
}

/** The live view of an instance, answered by a query. */
export interface InstanceView {
  status: InstanceStatus;
  definition: { key: string; version: number };
  businessKey: string | null;
  /** Element instances that are active now; `id` is the engine's element instance id (a job's id, a task's id). */
  activeElements: Array<{ id: string; elementId: string; name: string | null; kind: string; since: string; wait: string | null }>;
  variables: Record<string, unknown>;
  incidents: Incident[];
  openUserTasks: TaskView[];
  /** Child instances running now: call activity instance id → workflow id. */
  children: Record<string, string>;
  /** Open incidents in running child instances and their descendants: the instance waits on them too. */
  childIncidents?: ChildIncident[];
  /** Engine clock of the instance (virtual time differs from the wall clock). */
  now: string;
  /** Runs of this workflow so far (continueAsNew starts the next). */
  run: number;
}

/** The instance's trace, oldest first; `dropped` entries were cut from the front to bound its size. */
export interface InstanceTrace {
  entries: TraceEntry[];
  dropped: number;
  /** Children started so far, oldest first. */
  children: StartedChild[];
}

/** Delivers a message; answers how many subscriptions of this instance it reached. */
export const deliverMessageUpdate = defineUpdate<number, [{ name: string; correlationKey: string; variables?: Record<string, unknown> }]>(
  'deliverMessage',
);

/** Retries an open incident. */
export const retryIncidentUpdate = defineUpdate<void, [{ incidentId: string }]>('retryIncident');

/** What {@link setVariablesUpdate} sets, where, and for whom (named in the instance's history). */
export interface SetVariablesRequest {
  variables: Record<string, unknown>;
  /** An active element instance (a subprocess, a task with local variables …); the process when absent. */
  elementInstanceId?: string;
  /** Set them on that scope itself instead of the nearest scope upwards that has each. */
  local?: boolean;
  by?: string;
}

/** Sets variables, as an operator does to fix the cause of an incident before retrying it. */
export const setVariablesUpdate = defineUpdate<void, [SetVariablesRequest]>('setVariables');

/** Failure type when an update names an element instance that is not active. */
export const ELEMENT_NOT_ACTIVE_TYPE = 'ElementNotActive';

/** Cancels the instance; an update so the caller learns it happened. */
export const cancelInstanceUpdate = defineUpdate<void, []>('cancelInstance');

/** Failure types of update validators, which the API maps to 409. */
export const INCIDENT_NOT_OPEN_TYPE = 'IncidentNotOpen';
export const INSTANCE_NOT_ACTIVE_TYPE = 'InstanceNotActive';

/** The instance as it is now. */
export const instanceViewQuery = defineQuery<InstanceView>('instanceView');

/** The engine state with the open tasks and the instance's clock: the starting point of a forecast. */
export interface InstanceSnapshot {
  state: EngineState;
  openTasks: TaskView[];
  /** Epoch ms on the instance's clock. */
  now: number;
}

/** The instance's engine state, read by the forecast. */
export const instanceSnapshotQuery = defineQuery<InstanceSnapshot>('instanceSnapshot');

/** What happened so far. */
export const instanceTraceQuery = defineQuery<InstanceTrace>('instanceTrace');

/**
 * The variables an active element instance sees, the named ones only: its own locals (input
 * mappings, a multi-instance item) over those of its enclosing scopes up to the process. Null
 * when the element instance is not active.
 */
export const elementVariablesQuery = defineQuery<Record<string, unknown> | null, [{ elementInstanceId: string; names: string[] }]>('elementVariables');

/** Moves a virtual clock forward by an ISO duration; answers when every timer due by then has fired. */
export const advanceClockUpdate = defineUpdate<void, [{ by: string }]>('advanceClock');

/**
 * The working-day calendar was edited. Expressions evaluated afterwards (due dates of tasks
 * opened later, timers scheduled later, conditions) count on the new days; deadlines already
 * computed keep their value. Sent by the API to every active instance when an override changes.
 */
export const calendarChangedSignal = defineSignal<[{ calendar: CalendarData }]>('calendarChanged');

/**
 * A child reports its open incidents (and its own children's) to its caller whenever they
 * change, so the caller shows that it waits on an incident further down, as Operate does.
 */
export const childIncidentsSignal = defineSignal<[ChildIncidentReport]>('childIncidents');

/** Tells a child on virtual time how far its parent's clock may run (epoch ms). */
export const clockHorizonSignal = defineSignal<[{ horizon: number }]>('clockHorizon');
