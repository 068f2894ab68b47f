import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineCommand, EngineEvent, EngineState, Incident, TraceEntry } from '@xuncha/bpmn-engine';
import {
  addDuration,
  checkFormVariables,
  createInstanceState,
  DEFAULT_TIME_ZONE,
  formatDateTime,
  InvalidEventError,
  parseDuration,
  step,
  upgradeState,
} from '@xuncha/bpmn-engine';
import type {
  CarriedState,
  ChildIncident,
  ChildIncidentReport,
  CollectedMessage,
  CompleteTaskRequest,
  HistoryRecord,
  InstanceRecord,
  InstanceState,
  InstanceView,
  ProcessActivities,
  ProcessWorkflowInput,
  ProcessWorkflowResult,
  TaskActionRequest,
  TaskView,
  TimerRecord,
} from '@xuncha/contracts';
import {
  advanceClockUpdate,
  BPMN_ERROR_TYPE,
  BUSINESS_KEY_ATTRIBUTE,
  childIncidentsSignal,
  DEFINITION_KEY_ATTRIBUTE,
  NEXT_DUE_AT_ATTRIBUTE,
  UNIT_ID_ATTRIBUTE,
  calendarChangedSignal,
  cancelInstanceUpdate,
  clockHorizonSignal,
  completeUserTaskUpdate,
  deliverMessageUpdate,
  ELEMENT_NOT_ACTIVE_TYPE,
  INCIDENT_NOT_OPEN_TYPE,
  INSTANCE_NOT_ACTIVE_TYPE,
  instanceSnapshotQuery,
  instanceTraceQuery,
  instanceViewQuery,
  elementVariablesQuery,
  INVALID_TASK_VARIABLES_TYPE,
  mayWorkOn,
  PROCESS_NOT_DEPLOYED_TYPE,
  READ_MODEL_REJECTED_TYPE,
  retryIncidentUpdate,
  setVariablesUpdate,
  TASK_CONFLICT_TYPE,
  TASK_FORBIDDEN_TYPE,
  TASK_NOT_OPEN_TYPE,
  taskActionUpdate,
} from '@xuncha/contracts';

/** The most trace entries an instance keeps (and carries across continueAsNew); older ones are counted, not kept. */
const TRACE_LIMIT = 2_000;

/** The job activities with the retry budget the definition gives (default 3), exponential backoff. */
function jobActivity(retries: number): Pick<ProcessActivities, 'runJob' | 'runJobAndRecord'> {
  return proxyActivities<ProcessActivities>({
    startToCloseTimeout: '10 minutes',
    retry: {
      maximumAttempts: Math.max(1, retries),
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: [BPMN_ERROR_TYPE],
    },
  });
}

/**
 * The read-model write as a local activity: the worker runs it inside the workflow task that made
 * the change, so it costs one marker in the history and no extra workflow task. Retried until the
 * database answers; a change the database refuses for its content is not retried (an incident).
 */
const { recordInstance: recordInstanceLocally } = proxyLocalActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [READ_MODEL_REJECTED_TYPE] },
});

/** Whether an activity failed because the read models refused the change's content. */
function refusedByReadModels(error: unknown): boolean {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && cause.type === READ_MODEL_REJECTED_TYPE;
}

/** Bookkeeping activities: retried until the database answers, since the read models must not miss a change. */
const { loadCalledProcess, recordInstance, releaseMessage } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [PROCESS_NOT_DEPLOYED_TYPE] },
});

/**
 * One write holding earlier writes (carried by jobs, not confirmed) and then its own change: the
 * instance fields are the latest; the read models keep the newest revision of a task and the
 * last mention of a timer.
 */
function repeat(earlier: InstanceRecord[], latest: InstanceRecord): InstanceRecord {
  return {
    ...latest,
    openSubscriptions: [...earlier.flatMap((entry) => entry.openSubscriptions), ...latest.openSubscriptions],
    closedSubscriptions: [...earlier.flatMap((entry) => entry.closedSubscriptions), ...latest.closedSubscriptions],
    tasks: [...earlier.flatMap((entry) => entry.tasks), ...latest.tasks],
    timers: [...earlier.flatMap((entry) => entry.timers), ...latest.timers],
    history: [...earlier.flatMap((entry) => entry.history), ...latest.history],
  };
}

function failureMessage(error: unknown): string {
  let cause: unknown = error;
  while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * One process instance. The workflow owns no BPMN semantics: it feeds events to the pure
 * engine and carries out the commands it returns with Temporal primitives: timers as one
 * sleep in a cancellation scope until the earliest due timer, jobs as activities, call
 * activities as child workflows, user tasks and messages as updates. Long instances continue
 * as new when Temporal suggests it, carrying the engine state.
 */
export async function processWorkflow(input: ProcessWorkflowInput): Promise<ProcessWorkflowResult> {
  const instanceId = workflowInfo().workflowId;
  const parentInstanceId = workflowInfo().parent?.workflowId ?? null;
  const carried = input.carried;

  // ------------------------------------------------------------------ clock
  // Real time reads the workflow clock; virtual time stands still until advanced or a timer fires.
  const virtual = input.clock ? { ...input.clock } : null;
  const now = (): number => (virtual ? virtual.now : Date.now());

  // A state carried from a run of an earlier release is brought up to this release's shape first.
  let state: EngineState = carried?.state
    ? upgradeState(carried.state)
    : createInstanceState(input.graph, now(), input.calendar ?? null, {
        zone: input.timeZone ?? DEFAULT_TIME_ZONE,
        parentCatches: input.parentCatches ?? null,
        defaultCandidateGroup: input.defaultCandidateGroup ?? null,
      });
  const trace: TraceEntry[] = [...(carried?.trace ?? [])];
  let traceDropped = carried?.traceDropped ?? 0;
  const run = (carried?.run ?? 0) + 1;
  const queue: EngineEvent[] = [];
  /** Pending timers, timer id → due (epoch ms); insertion order breaks ties, as in the simulator. */
  const timers = new Map<string, number>(Object.values(state.timers).map((timer) => [timer.id, timer.dueAt]));
  const jobs = new Map<string, CancellationScope>();
  const children = new Map<string, { scope: CancellationScope; workflowId: string; cancelled: boolean }>();
  /** Open user tasks with their assignment and delegation: the workflow owns them, the read model mirrors them. */
  const userTasks = new Map<string, TaskView>((carried?.userTasks ?? []).map((task) => [task.taskId, task]));
  /** Every child started (bounded like the trace), so the whole run can be read back. */
  const startedChildren: CarriedState['children'] = [...(carried?.children ?? [])];
  let finished = false;
  let finalVariables: Record<string, unknown> = {};
  /** An error this instance did not catch and threw up to its caller, which catches it. */
  let thrownToCaller: ProcessWorkflowResult['error'] | undefined;
  /** Open incidents of running children and their descendants, per child workflow: shown as this instance's too. */
  const childIncidents = new Map<string, { seq: number; incidents: ChildIncident[] }>(
    Object.entries(carried?.childIncidents ?? {}).map(([workflowId, reported]) => [workflowId, reported]),
  );
  /** Root variables before the latest step: what a cancelled instance ends with. */
  let lastVariables: Record<string, unknown> = {};
  /** Bumped whenever the timer schedule or the virtual horizon changes, so the clock loop looks again. */
  let schedule = 0;
  let sleepingUntil = Infinity;
  let wakeClock: (() => void) | undefined;

  // ---------------------------------------------------------------- read models
  /**
   * Instances started on 0.4.0 on hand the write of an activation that starts a job to that job's
   * activity, which makes it before running the job: no local activity, no marker in the history.
   * Such writes are numbered, so one carried by a job that ran late changes nothing (see write).
   */
  const carriedWrites = patched('read-model-writes-carried-by-jobs');
  /**
   * Instances started on 0.3.0 on write their read models once per workflow activation (all
   * the steps it took, in one write), as a local activity; earlier ones keep one activity per step.
   * (0.4.0 implies it without asking, which spares a marker.)
   */
  const batchedWrites = carriedWrites || patched('read-model-writes-batched');
  /** The number of the last write made (0.4.0 on). */
  let writeSeq = carried?.writeSeq ?? 0;
  /** Writes handed to job activities that have not yet said they were made; every later write repeats them. */
  const unconfirmed = new Map<string, InstanceRecord>();
  /** Jobs this activation started, scheduled once its write is known (0.4.0 on), so the first may carry it. */
  const deferredJobs = new Map<string, Extract<EngineCommand, { type: 'runJob' }>>();
  /** Writes queued on `recording` and not yet answered: while any is, no write may be carried past it. */
  let writesInFlight = 0;
  /**
   * A carried write was not made (database slow or down, content refused, numbers behind): writes
   * go by the instance's own activity until one is made, which retries, raises the incident for
   * refused content, or numbers above what the read models hold.
   */
  let carryingHeld = false;
  let recording: Promise<void> = Promise.resolve();
  /** A write is due at the end of this activation (see record). */
  let flushScheduled = false;
  let flushForced = false;
  /** The due write includes a change an update made: it goes as a regular activity (see record). */
  let flushAfterUpdate = false;
  /** Changes the database refused (bad data): each an incident; its retry writes the change again. */
  const writeIncidents = new Map<string, { incident: Incident; entry: InstanceRecord }>();
  let writeIncidentSeq = 0;
  let recorded: { state: InstanceState; incidents: number } | null = null;
  /** Buffered messages collected by new subscriptions, waiting to be correlated. */
  const collected: CollectedMessage[] = [];
  const pendingOpen: InstanceRecord['openSubscriptions'] = [];
  const pendingClose: string[] = [];
  const pendingTasks = new Map<string, TaskView>();
  const pendingTimers = new Map<string, TimerRecord>();
  const pendingHistory: HistoryRecord[] = [];
  /** Position of the next trace entry in the instance's whole history (trace entries dropped or carried included). */
  let historySeq = traceDropped + trace.length;
  /** The engine state before the step being applied: it still describes the timers that step cancelled. */
  let stateBefore: EngineState = state;
  /** A timer as the read model shows it, from the engine state that still holds it. */
  const timerRecord = (timerId: string, timerState: TimerRecord['state']): TimerRecord | null => {
    const source = state.timers[timerId] ? state : stateBefore;
    const timer = source.timers[timerId];
    if (!timer) return null;
    const owner = source.elements[timer.ownerId];
    return {
      timerId,
      elementId: timer.elementId,
      name: state.graph.nodes[timer.elementId]?.name ?? null,
      // A boundary timer of a user task concerns that task's people.
      ownerTaskId: owner?.kind === 'userTask' ? owner.id : null,
      dueAt: timer.dueAt,
      state: timerState,
      warning: timer.warning ?? null,
    };
  };
  /** The task as changed now: queued for the read model with the next revision. */
  const changeTask = (task: TaskView, change: Partial<TaskView>): TaskView => {
    const changed: TaskView = { ...task, ...change, revision: task.revision + 1 };
    if (changed.state === 'created' || changed.state === 'claimed') userTasks.set(changed.taskId, changed);
    else userTasks.delete(changed.taskId);
    pendingTasks.set(changed.taskId, changed);
    return changed;
  };
  /** The completion being applied: its request id goes on the task, and the closed task comes back as the answer. */
  let completing: { taskId: string; requestId: string | null; closed: TaskView | null } | null = null;
  const instanceState = (): InstanceState =>
    state.status !== 'active'
      ? state.status
      : Object.keys(state.incidents).length > 0 || childIncidents.size > 0 || writeIncidents.size > 0
        ? 'incident'
        : 'active';
  /**
   * Notes that the read models must learn of a change. On this release the write waits for the
   * end of the activation (a microtask), so the steps of one activation make one write.
   */
  const record = (force = false): void => {
    if (!batchedWrites) {
      write(force);
      return;
    }
    flushForced ||= force;
    // An update runs in a speculative workflow task, which must not wait on a local activity:
    // a change an update made is written by a regular activity, as before.
    if (currentUpdateInfo() !== undefined) flushAfterUpdate = true;
    if (flushScheduled) return;
    flushScheduled = true;
    void Promise.resolve().then(flushWrites);
  };
  /** Makes the write record() scheduled now, if one is due, and starts the jobs the activation created (the first may carry the write). */
  const flushWrites = (): void => {
    if (!flushScheduled) return;
    flushScheduled = false;
    const force = flushForced;
    const local = !flushAfterUpdate;
    flushForced = false;
    flushAfterUpdate = false;
    const started = [...deferredJobs.values()];
    deferredJobs.clear();
    const carrier = local ? started[0] : undefined;
    const carriedEntry = write(force, undefined, local, carrier);
    for (const command of started) startJob(command, command === carrier ? carriedEntry : undefined);
  };
  /** Every write asked for so far has been made (or has failed visibly). */
  const writesSettled = async (): Promise<void> => {
    for (;;) {
      flushWrites();
      const awaited = recording;
      await awaited;
      // A refused write asks for another (the instance row saying so), which may already be under way.
      if (!flushScheduled && recording === awaited) return;
    }
  };
  /** The database refused a change: an incident on the instance, whose retry writes the change again. */
  const refuseWrite = (entry: InstanceRecord, error: unknown): void => {
    const id = `read-model-write-${++writeIncidentSeq}`;
    const what = `${entry.tasks.length} task(s), ${entry.timers.length} timer(s), ${entry.history.length} history entries`;
    const incident: Incident = {
      id,
      instanceId: state.rootId,
      elementId: state.graph.processId,
      type: 'read-model-write',
      message: `the read models refused a change of this instance (${what}): ${failureMessage(error)}`,
      createdAt: now(),
      retry: { kind: 'activate', instanceId: state.rootId },
    };
    writeIncidents.set(id, { incident, entry });
    log.warn('the read models refused a change', { incidentId: id, error: failureMessage(error) });
    // The instance row alone says so (without the content that was refused), unless it was the row itself.
    if (entry.tasks.length + entry.timers.length + entry.history.length + entry.openSubscriptions.length > 0) record(true);
  };
  /**
   * Queues a read-model write when something people query changed; writes run one after another,
   * in order. Given a job starting now (0.4.0 on), the write goes with that job's activity instead
   * when nothing could overtake it wrongly: no write in flight before it, nothing to collect for
   * new subscriptions, no end to act on, no refused write pending. Answers the entry so carried.
   */
  const write = (force: boolean, retried?: InstanceRecord, local = false, carrier?: Extract<EngineCommand, { type: 'runJob' }>): InstanceRecord | undefined => {
    const current = { state: instanceState(), incidents: Object.keys(state.incidents).length + writeIncidents.size };
    const changed = !recorded || recorded.state !== current.state || recorded.incidents !== current.incidents;
    const pending = pendingOpen.length + pendingClose.length + pendingTasks.size + pendingTimers.size + pendingHistory.length + unconfirmed.size;
    if (!force && !changed && pending === 0 && !retried) return undefined;
    recorded = current;
    const fresh: InstanceRecord = {
      instanceId,
      parentInstanceId,
      definition: input.definition,
      businessKey: state.businessKey,
      state: current.state,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      incidents: current.incidents,
      variables: state.status === 'active' ? null : finalVariables,
      openSubscriptions: pendingOpen.splice(0),
      closedSubscriptions: pendingClose.splice(0),
      tasks: [...pendingTasks.values()],
      timers: [...pendingTimers.values()],
      history: pendingHistory.splice(0),
    };
    pendingTasks.clear();
    pendingTimers.clear();
    // Writes carried by jobs not yet confirmed are repeated here, so that this write holds all they held.
    const repeated = [...unconfirmed.values()];
    unconfirmed.clear();
    // A retried write carries the refused change as far as it is still true: tasks (their revisions
    // keep a newer row from going back) and history as they were, subscriptions still open, timers
    // still pending with their due date now; a timer since ended keeps the refused ending, if any.
    const entry: InstanceRecord = retried
      ? {
          ...fresh,
          openSubscriptions: [...retried.openSubscriptions.filter((s) => state.subscriptions[s.subscriptionId] !== undefined), ...fresh.openSubscriptions],
          closedSubscriptions: [...retried.closedSubscriptions, ...fresh.closedSubscriptions],
          tasks: [...retried.tasks, ...fresh.tasks],
          timers: [
            ...retried.timers.flatMap((timer): TimerRecord[] => {
              const live = state.timers[timer.timerId];
              if (live) return [{ ...timer, dueAt: live.dueAt, state: 'pending' }];
              return timer.state === 'pending' ? [] : [timer];
            }),
            ...fresh.timers,
          ],
          history: [...retried.history, ...fresh.history],
        }
      : fresh;
    const numbered: InstanceRecord = repeated.length > 0 ? repeat(repeated, entry) : entry;
    if (carriedWrites) numbered.writeSeq = ++writeSeq;
    if (
      carriedWrites &&
      carrier &&
      !carryingHeld &&
      writesInFlight === 0 &&
      !retried &&
      writeIncidents.size === 0 &&
      numbered.openSubscriptions.length === 0 &&
      (numbered.state === 'active' || numbered.state === 'incident')
    ) {
      unconfirmed.set(carrier.jobId, numbered);
      return numbered;
    }
    writesInFlight++;
    recording = recording
      .then(() => (batchedWrites && local ? recordInstanceLocally(numbered) : recordInstance(numbered)))
      .then((outcome) => {
        // Buffered messages the new subscriptions collected (the first release's records answered nothing).
        if (outcome) collected.push(...outcome.messages);
        if (!carriedWrites || !outcome) return;
        if (outcome.behind === undefined) {
          carryingHeld = false;
          return;
        }
        // The read models hold a higher number (the instance was reset, or its id used before):
        // number above it and write this change again.
        writeSeq = Math.max(writeSeq, outcome.behind);
        unconfirmed.set(`behind-${numbered.writeSeq ?? 0}`, numbered);
        carryingHeld = true;
        record(true);
      })
      .catch((error: unknown) => {
        if (batchedWrites && refusedByReadModels(error)) refuseWrite(numbered, error);
        else log.error('recording the instance failed', { error: failureMessage(error) });
      })
      .finally(() => {
        writesInFlight--;
      });
    return undefined;
  };
  /**
   * Correlates a buffered message a subscription collected. If the instance no longer waits for
   * it (the subscription closed meanwhile), the message is given back for another instance.
   */
  const applyCollected = (message: CollectedMessage): void => {
    const reached = state.status === 'active' ? apply({ type: 'messageReceived', name: message.name, correlationKey: message.correlationKey, variables: message.variables }) : 0;
    if (reached > 0) return;
    const release = { messageKey: message.messageKey, processId: input.definition.key, instanceId };
    recording = recording.then(() => releaseMessage(release)).catch((error: unknown) => log.error('giving a message back failed', { error: failureMessage(error) }));
  };

  // ---------------------------------------------------------------- search attributes
  /** The NextDueAt last set (epoch ms), so an unchanged deadline costs no command. */
  let nextDueAt: number | null | undefined = carried ? undefined : null;
  /** Keeps NextDueAt at the earliest open task due date or pending timer. */
  const upsertNextDue = (): void => {
    let earliest: number | null = null;
    for (const dueAt of timers.values()) if (earliest === null || dueAt < earliest) earliest = dueAt;
    for (const task of userTasks.values()) {
      const dueAt = task.dueDate ? Date.parse(task.dueDate) : NaN;
      if (!Number.isNaN(dueAt) && (earliest === null || dueAt < earliest)) earliest = dueAt;
    }
    if (finished) earliest = null;
    if (earliest === nextDueAt) return;
    nextDueAt = earliest;
    upsertSearchAttributes([{ key: NEXT_DUE_AT_ATTRIBUTE, value: earliest === null ? null : new Date(earliest) }]);
  };

  // ---------------------------------------------------------------- incidents up the call chain
  /** The last report sent to the caller; a report is sent only when it would say something new. */
  let incidentReport = carried?.incidentReport ?? { seq: 0, incidents: [] as ChildIncident[] };
  /** This instance's open incidents and its descendants', as its caller shows them. */
  const incidentSummary = (): ChildIncident[] => [
    ...Object.values(state.incidents).map((incident) => ({
      instanceId,
      processId: state.graph.processId,
      elementId: incident.elementId,
      incidentId: incident.id,
      message: incident.message,
    })),
    ...[...childIncidents.values()].flatMap((reported) => reported.incidents),
  ];
  /** Tells the caller (if any) when the incidents it should show changed. */
  const reportIncidents = (): void => {
    if (!parentInstanceId) return;
    const incidents = incidentSummary();
    if (JSON.stringify(incidents) === JSON.stringify(incidentReport.incidents)) return;
    // Instances of the first release did not report; their histories must replay unchanged.
    if (!patched('report-incidents-to-caller')) return;
    incidentReport = { seq: incidentReport.seq + 1, incidents };
    getExternalWorkflowHandle(parentInstanceId)
      .signal(childIncidentsSignal, { workflowId: instanceId, seq: incidentReport.seq, incidents })
      .catch((error: unknown) => log.info('the caller did not take the incident report (it may have ended)', { error: failureMessage(error) }));
  };
  /** A child's report: kept while the child runs, newest report wins. */
  const takeChildReport = (report: ChildIncidentReport): void => {
    if (![...children.values()].some((child) => child.workflowId === report.workflowId)) return;
    const known = childIncidents.get(report.workflowId);
    if (known && known.seq >= report.seq) return;
    if (report.incidents.length > 0) childIncidents.set(report.workflowId, { seq: report.seq, incidents: report.incidents });
    else childIncidents.delete(report.workflowId);
    record();
    reportIncidents();
  };
  const forgetChildIncidents = (workflowId: string): void => {
    if (!childIncidents.delete(workflowId)) return;
    record();
    reportIncidents();
  };

  // ---------------------------------------------------------------- engine
  const apply = (event: EngineEvent, at: number = now()): number => {
    lastVariables = state.elements[state.rootId]?.variables ?? lastVariables;
    stateBefore = state;
    const result = step(state, event, at);
    state = result.state;
    trace.push(...result.trace);
    for (const entry of result.trace) {
      pendingHistory.push({
        seq: historySeq++,
        at: entry.at,
        kind: entry.kind,
        elementId: entry.elementId,
        elementInstanceId: entry.instanceId ?? null,
        by: entry.by ?? null,
        detail: entry.detail ?? null,
      });
    }
    if (trace.length > TRACE_LIMIT) traceDropped += trace.splice(0, trace.length - TRACE_LIMIT).length;
    for (const command of result.commands) execute(command);
    record();
    upsertNextDue();
    reportIncidents();
    return result.correlated;
  };

  const execute = (command: EngineCommand): void => {
    switch (command.type) {
      case 'startTimer': {
        timers.delete(command.timerId);
        timers.set(command.timerId, command.dueAt);
        const timer = timerRecord(command.timerId, 'pending');
        if (timer) pendingTimers.set(command.timerId, timer);
        schedule++;
        if (command.dueAt < sleepingUntil) wakeClock?.();
        return;
      }
      case 'cancelTimer': {
        // The clock may still wake for it; it then finds nothing due and looks again.
        timers.delete(command.timerId);
        schedule++;
        const cancelled = timerRecord(command.timerId, 'cancelled');
        if (cancelled) pendingTimers.set(command.timerId, cancelled);
        return;
      }
      case 'runJob':
        runJob(command);
        return;
      case 'cancelJob':
        jobs.get(command.jobId)?.cancel();
        jobs.delete(command.jobId);
        // Cancelled in the activation that started it: never scheduled.
        deferredJobs.delete(command.jobId);
        return;
      case 'openUserTask': {
        const task: TaskView = {
          taskId: command.taskId,
          elementId: command.elementId,
          name: command.name,
          assignee: command.assignee,
          owner: null,
          delegation: null,
          candidateGroups: command.candidateGroups,
          candidateUsers: command.candidateUsers,
          priority: command.priority,
          dueDate: command.dueDate,
          followUpDate: command.followUpDate,
          formId: command.formId,
          formKey: command.formKey,
          warnings: command.warnings,
          state: command.assignee ? 'claimed' : 'created',
          createdAt: now(),
          claimedAt: command.assignee ? now() : null,
          endedAt: null,
          completedBy: null,
          requestId: null,
          revision: 0,
        };
        changeTask(task, {});
        return;
      }
      case 'closeUserTask': {
        const task = userTasks.get(command.taskId);
        if (!task) return;
        const closed = changeTask(
          task,
          command.reason === 'completed'
            ? { state: 'completed', endedAt: now(), completedBy: command.completedBy ?? null, requestId: completing?.requestId ?? null }
            : { state: 'cancelled', endedAt: now() },
        );
        if (completing?.taskId === command.taskId) completing.closed = closed;
        return;
      }
      case 'openSubscription':
        pendingOpen.push({ subscriptionId: command.subscriptionId, elementId: command.elementId, messageName: command.messageName, correlationKey: command.correlationKey });
        return;
      case 'closeSubscription':
        pendingClose.push(command.subscriptionId);
        return;
      case 'startChild':
        callChild(command);
        return;
      case 'cancelChild': {
        const child = children.get(command.childId);
        if (child) {
          child.cancelled = true;
          child.scope.cancel();
        }
        return;
      }
      case 'completeInstance':
        finalVariables = command.variables;
        finished = true;
        return;
      case 'errorToCaller':
        thrownToCaller = { code: command.errorCode, message: command.message };
        return;
      case 'cancelInstance':
        finalVariables = lastVariables;
        finished = true;
        return;
      default:
        return;
    }
  };

  /** A job the engine started: its activity is scheduled now, or (0.4.0 on) with the activation's write. */
  const runJob = (command: Extract<EngineCommand, { type: 'runJob' }>): void => {
    jobs.set(command.jobId, new CancellationScope());
    if (carriedWrites) deferredJobs.set(command.jobId, command);
    else startJob(command);
  };

  /** Schedules the job's activity; given a write, the activity makes it first. */
  const startJob = (command: Extract<EngineCommand, { type: 'runJob' }>, carrying?: InstanceRecord): void => {
    const scope = jobs.get(command.jobId);
    if (!scope) return;
    const activity = jobActivity(command.retries);
    const job = {
      jobId: command.jobId,
      processInstanceId: instanceId,
      elementId: command.elementId,
      taskType: command.taskType,
      headers: command.headers,
      variables: command.variables,
    };
    scope
      .run(async () => {
        if (!carrying) return activity.runJob(job);
        const answer = await activity.runJobAndRecord({ job, record: carrying });
        // Unless a later write repeated it already: made, later writes need not repeat it; not made,
        // the next write (this job's outcome's) does, by the instance's own activity.
        if (unconfirmed.get(command.jobId) === carrying) {
          if (answer.recorded) {
            unconfirmed.delete(command.jobId);
          } else {
            carryingHeld = true;
            if (answer.behind !== undefined) writeSeq = Math.max(writeSeq, answer.behind);
          }
        }
        return answer.variables;
      })
      .then(
        (variables) => {
          jobs.delete(command.jobId);
          queue.push({ type: 'jobCompleted', jobId: command.jobId, variables });
        },
        (error: unknown) => {
          jobs.delete(command.jobId);
          if (isCancellation(error)) return;
          const cause = error instanceof ActivityFailure ? error.cause : error;
          if (cause instanceof ApplicationFailure && cause.type === BPMN_ERROR_TYPE) {
            const details = (cause.details?.[0] ?? {}) as { code?: string };
            queue.push({ type: 'jobError', jobId: command.jobId, errorCode: details.code ?? '', message: cause.message });
          } else {
            queue.push({ type: 'jobFailed', jobId: command.jobId, message: failureMessage(error) });
          }
        },
      );
  };

  const callChild = (command: Extract<EngineCommand, { type: 'startChild' }>): void => {
    const scope = new CancellationScope();
    const workflowId = `${instanceId}:${command.childId}`;
    const child = { scope, workflowId, cancelled: false };
    children.set(command.childId, child);
    scope
      .run(async () => {
        const called = await loadCalledProcess({
          processId: command.processId,
          binding: command.binding,
          versionTag: command.versionTag,
          caller: input.definition,
        });
        // The child concerns the unit its caller concerns (organisation scope): started with its
        // UnitId, behind a patch, as children started before it were not.
        const unit = workflowInfo().typedSearchAttributes.get(UNIT_ID_ATTRIBUTE);
        const inherited = unit !== undefined && patched('child-inherits-unit') ? [{ key: UNIT_ID_ATTRIBUTE, value: unit }] : undefined;
        const handle = await startChild(processWorkflow, {
          workflowId,
          ...(inherited ? { typedSearchAttributes: inherited } : {}),
          args: [
            {
              definition: called.definition,
              graph: called.graph,
              variables: command.variables,
              businessKey: state.businessKey,
              clock: virtual ? { ...virtual } : undefined,
              // The child counts working days as its parent does now, in the parent's zone.
              calendar: state.calendar ?? null,
              timeZone: state.zone ?? DEFAULT_TIME_ZONE,
              parentCatches: command.errorCatches,
              defaultCandidateGroup: state.defaultCandidateGroup ?? null,
            },
          ],
          // The child belongs to this instance: if the instance goes, so does the child.
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        });
        startedChildren.push({ childId: command.childId, elementId: command.elementId, workflowId });
        if (startedChildren.length > TRACE_LIMIT) startedChildren.shift();
        return handle.result();
      })
      .then(
        (result) => {
          children.delete(command.childId);
          forgetChildIncidents(workflowId);
          if (result.error) queue.push({ type: 'childError', childId: command.childId, errorCode: result.error.code, message: result.error.message });
          else if (result.status === 'completed') queue.push({ type: 'childCompleted', childId: command.childId, variables: result.variables });
          else queue.push({ type: 'childFailed', childId: command.childId, message: `the child instance ${workflowId} ended ${result.status}` });
        },
        (error: unknown) => {
          children.delete(command.childId);
          forgetChildIncidents(workflowId);
          if (child.cancelled) return;
          const message = isCancellation(error) ? `the child instance ${workflowId} was cancelled` : failureMessage(error);
          queue.push({ type: 'childFailed', childId: command.childId, message });
        },
      );
  };

  // ---------------------------------------------------------------- clock loop
  /** Sleeps until the earliest pending timer is due, fires it, repeats; on virtual time, only up to the horizon. */
  const runClock = async (): Promise<void> => {
    while (!finished) {
      let next: [string, number] | undefined;
      for (const [timerId, dueAt] of timers) if (!next || dueAt < next[1]) next = [timerId, dueAt];
      const limit = virtual ? virtual.horizon : Infinity;
      if (!next || next[1] > limit) {
        if (virtual && virtual.now < virtual.horizon) {
          virtual.now = virtual.horizon;
          continue;
        }
        const seen = schedule;
        await condition(() => finished || schedule !== seen);
        continue;
      }
      const [timerId, dueAt] = next;
      const delay = virtual ? Math.ceil((dueAt - virtual.now) / virtual.scale) : dueAt - Date.now();
      if (delay > 0) {
        const scope = new CancellationScope();
        sleepingUntil = dueAt;
        wakeClock = () => scope.cancel();
        let slept = false;
        try {
          await scope.run(() => sleep(delay));
          slept = true;
        } catch (error) {
          // Woken because an earlier timer was scheduled: look again.
          if (!isCancellation(error) || CancellationScope.current().consideredCancelled) throw error;
        } finally {
          sleepingUntil = Infinity;
          wakeClock = undefined;
        }
        // Virtual time reaches the timer by sleeping; nothing earlier was scheduled meanwhile, or the sleep would have been woken.
        if (slept && virtual) virtual.now = Math.max(virtual.now, dueAt);
        continue;
      }
      if (finished) return;
      timers.delete(timerId);
      const fired = timerRecord(timerId, 'fired');
      if (fired) pendingTimers.set(timerId, fired);
      if (virtual) virtual.now = Math.max(virtual.now, dueAt);
      apply({ type: 'timerFired', timerId }, virtual ? virtual.now : Date.now());
    }
  };

  // ---------------------------------------------------------------- handlers
  // Start before any handler exists: updates and signals that arrived with the first task are
  // delivered as their handlers are set, and must meet a started instance.
  if (!carried) {
    // An instance started with its search attributes (0.3.0's launcher) has them already; behind
    // the same patch as the batched writes, so a history an older worker made (upsert included) replays.
    if (!batchedWrites || workflowInfo().typedSearchAttributes.get(DEFINITION_KEY_ATTRIBUTE) !== input.definition.key) {
      upsertSearchAttributes([
        { key: DEFINITION_KEY_ATTRIBUTE, value: input.definition.key },
        ...(input.businessKey ? [{ key: BUSINESS_KEY_ATTRIBUTE, value: input.businessKey }] : []),
      ]);
    }
    apply({ type: 'start', variables: input.variables, businessKey: input.businessKey, startEventId: input.startEventId });
  }
  /** The open task, or a TaskNotOpen refusal (409). */
  const openTask = (taskId: string): TaskView => {
    const task = userTasks.get(taskId);
    if (!task || finished) throw ApplicationFailure.nonRetryable(`user task "${taskId}" is not open`, TASK_NOT_OPEN_TYPE);
    return task;
  };
  const forbid = (message: string): never => {
    throw ApplicationFailure.nonRetryable(message, TASK_FORBIDDEN_TYPE);
  };
  const conflict = (message: string): never => {
    throw ApplicationFailure.nonRetryable(message, TASK_CONFLICT_TYPE);
  };
  /**
   * Every check of a completion, run by the validator and again by the handler (the task may have
   * closed in between). The handler runs again when a history replays, so it checks `asRecorded`:
   * by the rules every earlier release accepted, which a newer validator may only tighten.
   */
  const checkCompletion = ({ taskId, variables, caller }: CompleteTaskRequest, asRecorded: boolean): TaskView => {
    const task = openTask(taskId);
    if (caller) {
      if (task.delegation === 'pending' && task.assignee === caller.sub) {
        conflict(`user task "${taskId}" was delegated to you by ${task.owner ?? 'its owner'}: resolve it, the owner completes it`);
      }
      if (!mayWorkOn(task, caller, { asRecorded })) {
        forbid(task.assignee !== null ? `user task "${taskId}" is assigned to ${task.assignee}` : `you are not a candidate of user task "${taskId}"`);
      }
    }
    const form = task.formId ? state.graph.forms?.[task.formId] : undefined;
    const problem = form ? checkFormVariables(form, variables ?? {}, { asRecorded }) : null;
    if (problem) throw ApplicationFailure.create({ message: problem.message, type: INVALID_TASK_VARIABLES_TYPE, nonRetryable: true, details: [{ field: problem.field }] });
    return task;
  };
  setHandler(
    completeUserTaskUpdate,
    (request) => {
      checkCompletion(request, true);
      const current: NonNullable<typeof completing> = { taskId: request.taskId, requestId: request.requestId ?? null, closed: null };
      completing = current;
      try {
        apply({ type: 'userTaskCompleted', taskId: request.taskId, variables: request.variables ?? {}, completedBy: request.completedBy ?? request.caller?.sub });
      } finally {
        completing = null;
      }
      if (!current.closed) throw ApplicationFailure.nonRetryable(`user task "${request.taskId}" did not close`, TASK_NOT_OPEN_TYPE);
      return current.closed;
    },
    { validator: (request) => void checkCompletion(request, false) },
  );
  /** Checks a task action and says what it changes; the handler checks `asRecorded`, as for completions. */
  const planAction = ({ taskId, action, user, caller }: TaskActionRequest, asRecorded: boolean): Partial<TaskView> => {
    const task = openTask(taskId);
    const at = now();
    switch (action) {
      case 'claim':
        if (task.assignee === caller.sub) return {};
        if (task.assignee !== null) return conflict(`user task "${taskId}" is already claimed by ${task.assignee}`);
        if (!mayWorkOn(task, caller, { asRecorded })) return forbid(`you are not a candidate of user task "${taskId}"`);
        return { assignee: caller.sub, state: 'claimed', claimedAt: at };
      case 'unclaim':
        if (task.assignee === null) return conflict(`user task "${taskId}" is not claimed`);
        if (task.assignee !== caller.sub) return forbid(`user task "${taskId}" is assigned to ${task.assignee}; only they may give it back`);
        if (task.delegation === 'pending') return conflict(`user task "${taskId}" is delegated: resolve it instead`);
        return { assignee: null, state: 'created', claimedAt: null };
      case 'assign':
        if (!user) return conflict('assign needs the user to assign to');
        if (!mayWorkOn(task, caller, { asRecorded })) return forbid(task.assignee !== null ? `user task "${taskId}" is assigned to ${task.assignee}` : `you are not a candidate of user task "${taskId}"`);
        if (task.delegation === 'pending') return conflict(`user task "${taskId}" is delegated: resolve it first`);
        return { assignee: user, state: 'claimed', claimedAt: at };
      case 'delegate':
        if (!user) return conflict('delegate needs the user to delegate to');
        if (task.assignee !== caller.sub) return forbid(task.assignee === null ? `claim user task "${taskId}" before delegating it` : `user task "${taskId}" is assigned to ${task.assignee}`);
        if (user === caller.sub) return conflict('a task cannot be delegated to its own assignee');
        return { owner: task.delegation === 'pending' ? task.owner : caller.sub, assignee: user, delegation: 'pending', claimedAt: at, state: 'claimed' };
      case 'resolve':
        if (task.delegation !== 'pending') return conflict(`user task "${taskId}" is not delegated`);
        if (task.assignee !== caller.sub) return forbid(`user task "${taskId}" is delegated to ${task.assignee ?? 'nobody'}; only they may resolve it`);
        return { assignee: task.owner, delegation: 'resolved', state: task.owner ? 'claimed' : 'created', claimedAt: task.owner ? at : null };
    }
  };
  setHandler(
    taskActionUpdate,
    (request) => {
      const change = planAction(request, true);
      const task = openTask(request.taskId);
      if (Object.keys(change).length === 0) return task;
      const changed = changeTask(task, change);
      record();
      return changed;
    },
    { validator: (request) => void planAction(request, false) },
  );
  setHandler(deliverMessageUpdate, ({ name, correlationKey, variables }) =>
    state.status === 'active' && !finished ? apply({ type: 'messageReceived', name, correlationKey, variables: variables ?? {} }) : 0,
  );
  setHandler(
    retryIncidentUpdate,
    ({ incidentId }) => {
      const refused = writeIncidents.get(incidentId);
      if (refused) {
        // The refused change is written again (with whatever changed since), e.g. after the schema was fixed.
        writeIncidents.delete(incidentId);
        write(true, refused.entry);
        return;
      }
      apply({ type: 'retryIncident', incidentId });
    },
    {
      validator: ({ incidentId }) => {
        if (!state.incidents[incidentId] && !writeIncidents.has(incidentId)) {
          throw ApplicationFailure.nonRetryable(`incident "${incidentId}" is not open`, INCIDENT_NOT_OPEN_TYPE);
        }
      },
    },
  );
  setHandler(
    setVariablesUpdate,
    ({ variables, elementInstanceId, local, by }) => {
      apply({ type: 'setVariables', variables, scopeId: elementInstanceId, local, by });
    },
    {
      validator: ({ variables, elementInstanceId }) => {
        if (state.status !== 'active' || finished) throw ApplicationFailure.nonRetryable(`the instance is ${state.status}`, INSTANCE_NOT_ACTIVE_TYPE);
        if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
          throw ApplicationFailure.nonRetryable('variables must be a JSON object', INVALID_TASK_VARIABLES_TYPE);
        }
        if (elementInstanceId !== undefined && !state.elements[elementInstanceId]) {
          throw ApplicationFailure.nonRetryable(`element instance "${elementInstanceId}" is not active`, ELEMENT_NOT_ACTIVE_TYPE);
        }
      },
    },
  );
  setHandler(
    cancelInstanceUpdate,
    () => {
      apply({ type: 'cancel' });
    },
    {
      validator: () => {
        if (state.status !== 'active' || finished) throw ApplicationFailure.nonRetryable(`the instance is ${state.status}`, INSTANCE_NOT_ACTIVE_TYPE);
      },
    },
  );
  const moveHorizon = (horizon: number): void => {
    if (!virtual || horizon <= virtual.horizon) return;
    virtual.horizon = horizon;
    schedule++;
    // Children on virtual time follow their parent's clock.
    for (const child of children.values()) {
      getExternalWorkflowHandle(child.workflowId)
        .signal(clockHorizonSignal, { horizon })
        .catch((error: unknown) => log.info('a child did not take the clock signal (it may have ended)', { error: failureMessage(error) }));
    }
  };
  setHandler(
    advanceClockUpdate,
    async ({ by }) => {
      const target = addDuration(virtual!.horizon, parseDuration(by), state.zone);
      moveHorizon(target);
      await condition(() => finished || virtual!.now >= target);
    },
    {
      validator: ({ by }) => {
        if (!virtual) throw ApplicationFailure.nonRetryable('this instance runs on real time; its clock cannot be advanced', 'RealTime');
        parseDuration(by);
      },
    },
  );
  setHandler(clockHorizonSignal, ({ horizon }) => moveHorizon(horizon));
  setHandler(childIncidentsSignal, (report) => takeChildReport(report));
  // The API signals every active instance, children included, when the calendar is edited.
  setHandler(calendarChangedSignal, ({ calendar }) => void apply({ type: 'calendarChanged', calendar }));
  setHandler(instanceViewQuery, (): InstanceView => ({
    status: state.status,
    definition: input.definition,
    businessKey: state.businessKey,
    activeElements: Object.values(state.elements)
      .filter((element) => element.kind !== 'process')
      .map((element) => ({
        id: element.id,
        elementId: element.elementId,
        name: state.graph.nodes[element.elementId]?.name ?? null,
        kind: element.kind,
        since: formatDateTime(element.enteredAt, state.zone),
        wait: element.wait ?? null,
      })),
    // Once the root scope has ended, its variables are the ones the instance ended with.
    variables: { ...(state.elements[state.rootId]?.variables ?? (finished ? finalVariables : {})) },
    incidents: [...Object.values(state.incidents), ...[...writeIncidents.values()].map((refused) => refused.incident)],
    openUserTasks: [...userTasks.values()],
    children: Object.fromEntries([...children].map(([childId, child]) => [childId, child.workflowId])),
    childIncidents: [...childIncidents.values()].flatMap((reported) => reported.incidents),
    now: formatDateTime(now(), state.zone),
    run,
  }));
  setHandler(instanceSnapshotQuery, () => ({ state, openTasks: [...userTasks.values()], now: now() }));
  setHandler(instanceTraceQuery, () => ({ entries: trace, dropped: traceDropped, children: startedChildren }));
  setHandler(elementVariablesQuery, ({ elementInstanceId, names }) => {
    const chain: Array<Record<string, unknown>> = [];
    for (let element = state.elements[elementInstanceId]; element; element = element.scopeId === null ? undefined : state.elements[element.scopeId]) {
      chain.unshift(element.variables);
    }
    if (chain.length === 0) return null;
    const seen: Record<string, unknown> = Object.assign({}, ...chain);
    return Object.fromEntries(names.filter((name) => Object.prototype.hasOwnProperty.call(seen, name)).map((name) => [name, seen[name]]));
  });

  /**
   * Applies the result of a job or child. It may have lost a race with what interrupted it (a
   * boundary timer fired in the same workflow task); the engine then refuses it and it is dropped.
   */
  const applyQueued = (event: EngineEvent): void => {
    try {
      apply(event);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      log.info('dropped an outcome the instance no longer waits for', { event: event.type, reason: error.message });
    }
  };

  // ---------------------------------------------------------------- main loop
  const clock = runClock();
  clock.catch(() => undefined);

  /** Continue as new only at a quiet moment: no job or child in flight, no handler running, nothing queued. */
  const canContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested &&
    queue.length === 0 &&
    collected.length === 0 &&
    jobs.size === 0 &&
    children.size === 0 &&
    writeIncidents.size === 0 &&
    unconfirmed.size === 0 &&
    allHandlersFinished();

  try {
    while (!finished) {
      await condition(() => queue.length > 0 || collected.length > 0 || finished || canContinueAsNew());
      if (queue.length > 0 || collected.length > 0) {
        while (queue.length > 0 && !finished) applyQueued(queue.shift()!);
        while (collected.length > 0 && !finished) applyCollected(collected.shift()!);
        continue;
      }
      if (!finished && canContinueAsNew()) {
        await writesSettled();
        // An update may have arrived while the last write ran: then this is no longer a quiet moment.
        if (finished || !canContinueAsNew()) continue;
        const next: CarriedState = {
          state,
          trace,
          traceDropped,
          userTasks: [...userTasks.values()],
          children: startedChildren,
          run,
          childIncidents: Object.fromEntries(childIncidents),
          incidentReport,
          ...(carriedWrites ? { writeSeq } : {}),
        };
        await continueAsNew<typeof processWorkflow>({ ...input, clock: virtual ? { ...virtual } : undefined, carried: next });
      }
    }
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // Cancelled from outside (the parent's call activity was interrupted): close everything, record it, end cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (state.status === 'active') apply({ type: 'cancel' });
      record(true);
      // Collected messages this instance will not take go back to its process's other instances.
      do {
        while (collected.length > 0) applyCollected(collected.shift()!);
        await writesSettled();
      } while (collected.length > 0);
    });
    throw error;
  }
  // Messages collected too late for this instance go back to their process's other instances.
  do {
    while (collected.length > 0) applyCollected(collected.shift()!);
    await writesSettled();
  } while (collected.length > 0);
  // Updates still running (an advanceClock waiting for this very end) answer before the instance closes.
  await condition(allHandlersFinished);
  return { status: state.status, variables: finalVariables, ...(thrownToCaller ? { error: thrownToCaller } : {}) };
}
