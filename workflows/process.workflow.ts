import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineCommand, EngineEvent, EngineState, TraceEntry } from '@xuncha/bpmn-engine';
import { addDuration, createInstanceState, formatDateTime, InvalidEventError, parseDuration, step } from '@xuncha/bpmn-engine';
import type {
  CarriedState,
  InstanceRecord,
  InstanceState,
  InstanceView,
  OpenUserTaskView,
  ProcessActivities,
  ProcessWorkflowInput,
  ProcessWorkflowResult,
} from '@xuncha/contracts';
import {
  advanceClockUpdate,
  BPMN_ERROR_TYPE,
  calendarChangedSignal,
  cancelInstanceUpdate,
  clockHorizonSignal,
  completeUserTaskUpdate,
  deliverMessageUpdate,
  INCIDENT_NOT_OPEN_TYPE,
  INSTANCE_NOT_ACTIVE_TYPE,
  instanceTraceQuery,
  instanceViewQuery,
  PROCESS_NOT_DEPLOYED_TYPE,
  retryIncidentUpdate,
  TASK_NOT_OPEN_TYPE,
} from '@xuncha/contracts';

/** The most trace entries an instance keeps (and carries across continueAsNew); older ones are counted, not kept. */
const TRACE_LIMIT = 2_000;

/** The job activity with the retry budget the definition gives (default 3), exponential backoff. */
function jobActivity(retries: number): ProcessActivities['runJob'] {
  return proxyActivities<ProcessActivities>({
    startToCloseTimeout: '10 minutes',
    retry: {
      maximumAttempts: Math.max(1, retries),
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: [BPMN_ERROR_TYPE],
    },
  }).runJob;
}

/** Bookkeeping activities: retried until the database answers, since the read models must not miss a change. */
const { loadCalledProcess, recordInstance } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [PROCESS_NOT_DEPLOYED_TYPE] },
});

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

  let state: EngineState = carried?.state ?? createInstanceState(input.graph, now(), input.calendar ?? null);
  const trace: TraceEntry[] = [...(carried?.trace ?? [])];
  let traceDropped = carried?.traceDropped ?? 0;
  const run = (carried?.run ?? 0) + 1;
  const queue: EngineEvent[] = [];
  /** Pending timers, timer id → due (epoch ms); insertion order breaks ties, as in the simulator. */
  const timers = new Map<string, number>(Object.values(state.timers).map((timer) => [timer.id, timer.dueAt]));
  const jobs = new Map<string, CancellationScope>();
  const children = new Map<string, { scope: CancellationScope; workflowId: string; cancelled: boolean }>();
  const userTasks = new Map<string, OpenUserTaskView>((carried?.userTasks ?? []).map((task) => [task.taskId, task]));
  /** Every child started (bounded like the trace), so the whole run can be read back. */
  const startedChildren: CarriedState['children'] = [...(carried?.children ?? [])];
  let finished = false;
  let finalVariables: Record<string, unknown> = {};
  /** Root variables before the latest step: what a cancelled instance ends with. */
  let lastVariables: Record<string, unknown> = {};
  /** Bumped whenever the timer schedule or the virtual horizon changes, so the clock loop looks again. */
  let schedule = 0;
  let sleepingUntil = Infinity;
  let wakeClock: (() => void) | undefined;

  // ---------------------------------------------------------------- read models
  let recording: Promise<void> = Promise.resolve();
  let recorded: { state: InstanceState; incidents: number } | null = null;
  const pendingOpen: InstanceRecord['openSubscriptions'] = [];
  const pendingClose: string[] = [];
  const instanceState = (): InstanceState =>
    state.status !== 'active' ? state.status : Object.keys(state.incidents).length > 0 ? 'incident' : 'active';
  /** Queues a read-model write when something people query changed; writes run one after another, in order. */
  const record = (force = false): void => {
    const current = { state: instanceState(), incidents: Object.keys(state.incidents).length };
    const changed = !recorded || recorded.state !== current.state || recorded.incidents !== current.incidents;
    if (!force && !changed && pendingOpen.length === 0 && pendingClose.length === 0) return;
    recorded = current;
    const entry: InstanceRecord = {
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
    };
    recording = recording.then(() => recordInstance(entry)).catch((error: unknown) => log.error('recording the instance failed', { error: failureMessage(error) }));
  };

  // ---------------------------------------------------------------- engine
  const apply = (event: EngineEvent, at: number = now()): number => {
    lastVariables = state.elements[state.rootId]?.variables ?? lastVariables;
    const result = step(state, event, at);
    state = result.state;
    trace.push(...result.trace);
    if (trace.length > TRACE_LIMIT) traceDropped += trace.splice(0, trace.length - TRACE_LIMIT).length;
    for (const command of result.commands) execute(command);
    record();
    return result.correlated;
  };

  const execute = (command: EngineCommand): void => {
    switch (command.type) {
      case 'startTimer':
        timers.delete(command.timerId);
        timers.set(command.timerId, command.dueAt);
        schedule++;
        if (command.dueAt < sleepingUntil) wakeClock?.();
        return;
      case 'cancelTimer':
        // The clock may still wake for it; it then finds nothing due and looks again.
        timers.delete(command.timerId);
        schedule++;
        return;
      case 'runJob':
        runJob(command);
        return;
      case 'cancelJob':
        jobs.get(command.jobId)?.cancel();
        jobs.delete(command.jobId);
        return;
      case 'openUserTask':
        userTasks.set(command.taskId, {
          taskId: command.taskId,
          elementId: command.elementId,
          name: command.name,
          assignee: command.assignee,
          candidateGroups: command.candidateGroups,
          candidateUsers: command.candidateUsers,
          dueDate: command.dueDate,
        });
        return;
      case 'closeUserTask':
        userTasks.delete(command.taskId);
        return;
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
      case 'cancelInstance':
        finalVariables = lastVariables;
        finished = true;
        return;
      default:
        return;
    }
  };

  const runJob = (command: Extract<EngineCommand, { type: 'runJob' }>): void => {
    const scope = new CancellationScope();
    jobs.set(command.jobId, scope);
    const activity = jobActivity(command.retries);
    scope
      .run(() =>
        activity({
          jobId: command.jobId,
          processInstanceId: instanceId,
          elementId: command.elementId,
          taskType: command.taskType,
          headers: command.headers,
          variables: command.variables,
        }),
      )
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
        const handle = await startChild(processWorkflow, {
          workflowId,
          args: [
            {
              definition: called.definition,
              graph: called.graph,
              variables: command.variables,
              businessKey: state.businessKey,
              clock: virtual ? { ...virtual } : undefined,
              // The child counts working days as its parent does now.
              calendar: state.calendar ?? null,
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
          if (result.status === 'completed') queue.push({ type: 'childCompleted', childId: command.childId, variables: result.variables });
          else queue.push({ type: 'childFailed', childId: command.childId, message: `the child instance ${workflowId} ended ${result.status}` });
        },
        (error: unknown) => {
          children.delete(command.childId);
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
      if (virtual) virtual.now = Math.max(virtual.now, dueAt);
      apply({ type: 'timerFired', timerId }, virtual ? virtual.now : Date.now());
    }
  };

  // ---------------------------------------------------------------- handlers
  // Start before any handler exists: updates and signals that arrived with the first task are
  // delivered as their handlers are set, and must meet a started instance.
  if (!carried) apply({ type: 'start', variables: input.variables, businessKey: input.businessKey, startEventId: input.startEventId });
  setHandler(
    completeUserTaskUpdate,
    ({ taskId, variables, completedBy }) => {
      apply({ type: 'userTaskCompleted', taskId, variables: variables ?? {}, completedBy });
    },
    {
      validator: ({ taskId }) => {
        if (!userTasks.has(taskId)) throw ApplicationFailure.nonRetryable(`user task "${taskId}" is not open`, TASK_NOT_OPEN_TYPE);
      },
    },
  );
  setHandler(deliverMessageUpdate, ({ name, correlationKey, variables }) =>
    state.status === 'active' && !finished ? apply({ type: 'messageReceived', name, correlationKey, variables: variables ?? {} }) : 0,
  );
  setHandler(
    retryIncidentUpdate,
    ({ incidentId }) => {
      apply({ type: 'retryIncident', incidentId });
    },
    {
      validator: ({ incidentId }) => {
        if (!state.incidents[incidentId]) throw ApplicationFailure.nonRetryable(`incident "${incidentId}" is not open`, INCIDENT_NOT_OPEN_TYPE);
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
      const target = addDuration(virtual!.horizon, parseDuration(by));
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
  setHandler(calendarChangedSignal, ({ calendar }) => {
    apply({ type: 'calendarChanged', calendar });
    for (const child of children.values()) {
      getExternalWorkflowHandle(child.workflowId)
        .signal(calendarChangedSignal, { calendar })
        .catch((error: unknown) => log.info('a child did not take the calendar (it may have ended)', { error: failureMessage(error) }));
    }
  });
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
        since: formatDateTime(element.enteredAt),
        wait: element.wait ?? null,
      })),
    variables: { ...(state.elements[state.rootId]?.variables ?? {}) },
    incidents: Object.values(state.incidents),
    openUserTasks: [...userTasks.values()],
    children: Object.fromEntries([...children].map(([childId, child]) => [childId, child.workflowId])),
    now: formatDateTime(now()),
    run,
  }));
  setHandler(instanceTraceQuery, () => ({ entries: trace, dropped: traceDropped, children: startedChildren }));

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
    workflowInfo().continueAsNewSuggested && queue.length === 0 && jobs.size === 0 && children.size === 0 && allHandlersFinished();

  try {
    while (!finished) {
      await condition(() => queue.length > 0 || finished || canContinueAsNew());
      if (queue.length > 0) {
        while (queue.length > 0 && !finished) applyQueued(queue.shift()!);
        continue;
      }
      if (!finished && canContinueAsNew()) {
        await recording;
        const next: CarriedState = { state, trace, traceDropped, userTasks: [...userTasks.values()], children: startedChildren, run };
        await continueAsNew<typeof processWorkflow>({ ...input, clock: virtual ? { ...virtual } : undefined, carried: next });
      }
    }
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // Cancelled from outside (the parent's call activity was interrupted): close everything, record it, end cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (state.status === 'active') apply({ type: 'cancel' });
      record(true);
      await recording;
    });
    throw error;
  }
  await recording;
  return { status: state.status, variables: finalVariables };
}
