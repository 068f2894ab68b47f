// The engine's plain data: state, the events it accepts and the commands it emits. Everything
// here is JSON, so a state survives continueAsNew and a history replays to the same result.
import type { CallBinding, NodeType, ProcessGraph } from '../definition/graph';
import type { CalendarData } from '@xuncha/calendar';
import type { ErrorCatches } from './error-catch';
import type { Duration } from './time';

/** Life of a process instance. Incidents do not end it: it waits, visibly, for a retry. */
export type InstanceStatus = 'active' | 'completed' | 'cancelled';

/** What a waiting element instance waits for. */
export type WaitKind = 'job' | 'user-task' | 'timer' | 'message' | 'event' | 'child';

/** One active element: a token at a task, event or gateway, or an open scope (process, subprocess). */
export interface ElementInstance {
  id: string;
  elementId: string;
  kind: NodeType | 'process';
  /** The enclosing scope instance (process root or subprocess instance); null for the root. */
  scopeId: string | null;
  enteredAt: number;
  /** Scope variables of processes and subprocesses; input-mapped locals of activities. */
  variables: Record<string, unknown>;
  wait?: WaitKind;
  /** Timers and message subscriptions of this activity's boundary events. */
  boundaryTimers: string[];
  boundarySubscriptions: string[];
  /**
   * A multi-instance body: its items and progress (its children are the inner instances).
   * `terminated` counts inner instances ended early; absent in states of the first release.
   */
  multi?: { items: unknown[]; started: number; completed: number; terminated?: number; outputs: unknown[] };
  /** One inner instance of a multi-instance body. */
  inner?: boolean;
}

/** A scheduled timer: of an intermediate catch event (owner waits) or of a boundary event. */
export interface TimerState {
  id: string;
  ownerId: string;
  /** The timer event node: the catch event, or the boundary event. */
  elementId: string;
  dueAt: number;
  fired: number;
  /** Cycles: how many firings in all (null = until the owner ends) and the period. */
  repetitions: number | null;
  period: Duration | null;
  /** A cron cycle (Spring syntax): it fires at each of its times after the last, until the owner ends. */
  cron?: string;
  /** Set when the due date was counted on a year the working-day calendar has no data for. */
  warning?: string;
}

/** An open message subscription of a catch event, receive task or boundary event. */
export interface Subscription {
  id: string;
  ownerId: string;
  elementId: string;
  messageName: string;
  correlationKey: string;
  createdAt: number;
}

/** How an incident is retried. */
export type RetryAction =
  | { kind: 'activate'; instanceId: string }
  | { kind: 'child'; instanceId: string }
  | { kind: 'job'; instanceId: string }
  | { kind: 'complete'; instanceId: string; variables: Record<string, unknown> };

/** A problem the instance cannot get past alone; it waits for someone to fix and retry. */
export interface Incident {
  id: string;
  instanceId: string;
  elementId: string;
  /** `read-model-write` is raised by the workflow shell, never by the engine: the database refused a change of the read models. */
  type: 'expression' | 'no-outgoing-flow' | 'job-failed' | 'child-failed' | 'unhandled-error' | 'unsupported' | 'read-model-write';
  message: string;
  createdAt: number;
  retry: RetryAction;
}

/** The shape of {@link EngineState} this code writes; {@link upgradeState} brings older shapes up to it. */
export const ENGINE_STATE_VERSION = 2;

/**
 * The rules this code applies to instances it starts. An instance keeps the rules it started
 * with for life (never upgraded, unlike the state's shape), so a release that changes what the
 * engine does cannot change what an instance already running does on replay. 1: the first
 * release's rules; 2: Camunda 8's multi-instance counters and completion, activations taken
 * back whole on an expression failure, a single conditional flow out of a gateway evaluated,
 * output mappings of start and boundary events applied.
 */
export const ENGINE_SEMANTICS = 2;

/** The complete runtime state of one process instance. */
export interface EngineState {
  /** Shape of this state (absent: the first release's shape, version 1). */
  version?: number;
  /** The engine rules the instance started with ({@link ENGINE_SEMANTICS}; absent: 1). */
  semantics?: number;
  graph: ProcessGraph;
  /**
   * The working-day calendar the FEEL working-day functions read: a snapshot taken when the
   * instance started, replaced only by an explicit calendar event, so a replay sees the same days.
   */
  calendar?: CalendarData | null;
  /**
   * The IANA time zone date-times without an offset are read in, and calendar durations and
   * cycles run on: the engine's configured zone when the instance started, kept for life so a
   * later configuration change cannot alter a replay. Absent only in states of the first release.
   */
  zone?: string;
  /**
   * The error codes the instance's caller catches above the call activity that started it (and
   * its own callers above that); null for an instance nobody called. An error this instance
   * does not catch, but its caller does, is thrown up to the caller instead of being an incident.
   */
  parentCatches?: ErrorCatches | null;
  /**
   * The group a user task that names no assignee, candidate group or user is offered to (the
   * engine's configured default when the instance started); null or absent: none.
   */
  defaultCandidateGroup?: string | null;
  status: InstanceStatus;
  businessKey: string | null;
  startedAt: number;
  endedAt: number | null;
  nextId: number;
  rootId: string;
  /** The start event the instance started at (absent in states of the first release, which began at it at once). */
  startEventId?: string;
  elements: Record<string, ElementInstance>;
  /** Tokens waiting at joining gateways, per `${scopeInstanceId}/${gatewayId}`, counted per incoming flow. */
  joins: Record<string, Record<string, number>>;
  timers: Record<string, TimerState>;
  subscriptions: Record<string, Subscription>;
  incidents: Record<string, Incident>;
}

/** Inputs of the reducer. Job and user-task ids are the ids of their element instances. */
export type EngineEvent =
  /** Starts the instance at its none start event, or at the named (message or timer) start event. */
  | { type: 'start'; variables?: Record<string, unknown>; businessKey?: string | null; startEventId?: string }
  | { type: 'timerFired'; timerId: string }
  | { type: 'jobCompleted'; jobId: string; variables?: Record<string, unknown> }
  | { type: 'jobFailed'; jobId: string; message: string }
  | { type: 'jobError'; jobId: string; errorCode: string; message?: string }
  | { type: 'userTaskCompleted'; taskId: string; variables?: Record<string, unknown>; completedBy?: string }
  | { type: 'messageReceived'; name: string; correlationKey: string; variables?: Record<string, unknown> }
  | { type: 'childCompleted'; childId: string; variables?: Record<string, unknown> }
  | { type: 'childFailed'; childId: string; message: string }
  /** The child instance threw an error it did not catch; its caller catches it (see `parentCatches`). */
  | { type: 'childError'; childId: string; errorCode: string; message?: string | null }
  | { type: 'retryIncident'; incidentId: string }
  /**
   * Sets variables of a scope (the process by default; any active element instance by id), as
   * Camunda's SetVariables: `local` puts them on that scope, otherwise each goes to the nearest
   * scope upwards that has it, else the process. How an operator fixes the cause of an incident.
   */
  | { type: 'setVariables'; variables: Record<string, unknown>; scopeId?: string; local?: boolean; by?: string }
  /** The working-day calendar was edited (a holiday entered, next year published). */
  | { type: 'calendarChanged'; calendar: CalendarData }
  | { type: 'cancel' };

/** Outputs of the reducer: what the shell must do with Temporal primitives. */
export type EngineCommand =
  | { type: 'startTimer'; timerId: string; elementId: string; dueAt: number; warning?: string | null }
  | { type: 'cancelTimer'; timerId: string }
  | {
      type: 'runJob';
      jobId: string;
      elementId: string;
      taskType: string;
      retries: number;
      headers: Record<string, string>;
      variables: Record<string, unknown>;
    }
  | { type: 'cancelJob'; jobId: string }
  | {
      type: 'openUserTask';
      taskId: string;
      elementId: string;
      name: string | null;
      assignee: string | null;
      candidateGroups: string[];
      candidateUsers: string[];
      dueDate: string | null;
      followUpDate: string | null;
      priority: number;
      formId: string | null;
      formKey: string | null;
      variables: Record<string, unknown>;
      /** Why a date may be wrong, e.g. counted on a year with no official working-day data. */
      warnings: string[];
    }
  | { type: 'closeUserTask'; taskId: string; reason: 'completed' | 'cancelled'; completedBy?: string }
  | { type: 'openSubscription'; subscriptionId: string; elementId: string; messageName: string; correlationKey: string }
  | { type: 'closeSubscription'; subscriptionId: string }
  | {
      type: 'startChild';
      childId: string;
      elementId: string;
      processId: string;
      /** Which version of the called process: see {@link CallBinding}. */
      binding: CallBinding;
      versionTag: string | null;
      variables: Record<string, unknown>;
      /** What this instance, and its callers, catch above the call activity: the child's `parentCatches`. */
      errorCatches: ErrorCatches;
    }
  | { type: 'cancelChild'; childId: string }
  /** This (called) instance ends, terminated, throwing an error it did not catch up to its caller. */
  | { type: 'errorToCaller'; errorCode: string; message: string | null }
  | { type: 'raiseIncident'; incident: Incident }
  | { type: 'resolveIncident'; incidentId: string }
  | { type: 'completeInstance'; variables: Record<string, unknown> }
  | { type: 'cancelInstance' };

/** What happened, in order: the material of traces, history and conformance expectations. */
export interface TraceEntry {
  at: number;
  kind: 'entered' | 'completed' | 'terminated' | 'incident' | 'resolved' | 'correlated' | 'variables-set' | 'instance-completed' | 'instance-cancelled';
  elementId: string;
  detail?: string;
  /** The element instance (engine id) the entry is about: what ties an `entered` to its `completed`. */
  instanceId?: string;
  /** Who completed it, for user tasks; who set them, for variables. */
  by?: string;
}

/** The reducer's answer. `correlated` counts subscriptions a messageReceived event reached. */
export interface StepResult {
  state: EngineState;
  commands: EngineCommand[];
  trace: TraceEntry[];
  correlated: number;
}
