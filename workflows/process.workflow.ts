import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineCommand, EngineEvent, EngineState } from '@xuncha/bpmn-engine';
import { createInstanceState, formatDateTime, step } from '@xuncha/bpmn-engine';
import type { InstanceView, OpenUserTaskView, ProcessActivities, ProcessWorkflowInput, ProcessWorkflowResult } from '@xuncha/contracts';
import {
  BPMN_ERROR_TYPE,
  cancelInstanceSignal,
  completeUserTaskUpdate,
  deliverMessageUpdate,
  instanceViewQuery,
  retryIncidentUpdate,
} from '@xuncha/contracts';

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

/**
 * One process instance. The workflow owns no BPMN semantics: it feeds events to the pure
 * engine and carries out the commands it returns with Temporal primitives (timers as sleeps in
 * cancellation scopes, jobs as activities, user tasks and messages as updates).
 */
export async function processWorkflow(input: ProcessWorkflowInput): Promise<ProcessWorkflowResult> {
  let state: EngineState = input.state ?? createInstanceState(input.graph, Date.now());
  const queue: EngineEvent[] = [];
  const timers = new Map<string, CancellationScope>();
  const jobs = new Map<string, CancellationScope>();
  const userTasks = new Map<string, OpenUserTaskView>();
  let finished = false;
  let finalVariables: Record<string, unknown> = {};

  const apply = (event: EngineEvent): number => {
    const result = step(state, event, Date.now());
    state = result.state;
    for (const command of result.commands) execute(command);
    return result.correlated;
  };

  const execute = (command: EngineCommand): void => {
    switch (command.type) {
      case 'startTimer': {
        timers.get(command.timerId)?.cancel();
        const scope = new CancellationScope();
        timers.set(command.timerId, scope);
        const delay = Math.max(0, command.dueAt - Date.now());
        scope.run(() => sleep(delay)).then(
          () => {
            if (timers.get(command.timerId) === scope) timers.delete(command.timerId);
            queue.push({ type: 'timerFired', timerId: command.timerId });
          },
          (error: unknown) => {
            if (!isCancellation(error)) throw error;
          },
        );
        return;
      }
      case 'cancelTimer':
        timers.get(command.timerId)?.cancel();
        timers.delete(command.timerId);
        return;
      case 'runJob': {
        const scope = new CancellationScope();
        jobs.set(command.jobId, scope);
        const run = jobActivity(command.retries);
        scope
          .run(() =>
            run({
              jobId: command.jobId,
              processInstanceId: workflowInfo().workflowId,
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
                queue.push({ type: 'jobFailed', jobId: command.jobId, message: cause instanceof Error ? cause.message : String(cause) });
              }
            },
          );
        return;
      }
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
      case 'startChild':
        // Child instances are started by the shell in a later increment; until then the call activity waits with an incident.
        queue.push({ type: 'childFailed', childId: command.childId, message: 'call activities are not run on Temporal yet' });
        return;
      case 'completeInstance':
        finalVariables = command.variables;
        finished = true;
        return;
      case 'cancelInstance':
        finished = true;
        return;
      default:
        return;
    }
  };

  setHandler(
    completeUserTaskUpdate,
    ({ taskId, variables, completedBy }) => {
      apply({ type: 'userTaskCompleted', taskId, variables: variables ?? {}, completedBy });
    },
    {
      validator: ({ taskId }) => {
        if (!userTasks.has(taskId)) throw ApplicationFailure.nonRetryable(`user task "${taskId}" is not open`, 'TaskNotOpen');
      },
    },
  );
  setHandler(deliverMessageUpdate, ({ name, correlationKey, variables }) =>
    state.status === 'active' ? apply({ type: 'messageReceived', name, correlationKey, variables: variables ?? {} }) : 0,
  );
  setHandler(
    retryIncidentUpdate,
    ({ incidentId }) => {
      apply({ type: 'retryIncident', incidentId });
    },
    {
      validator: ({ incidentId }) => {
        if (!state.incidents[incidentId]) throw ApplicationFailure.nonRetryable(`incident "${incidentId}" is not open`, 'IncidentNotOpen');
      },
    },
  );
  setHandler(cancelInstanceSignal, () => {
    if (state.status === 'active') apply({ type: 'cancel' });
  });
  setHandler(instanceViewQuery, (): InstanceView => ({
    status: state.status,
    definition: input.definition,
    businessKey: state.businessKey,
    activeElements: Object.values(state.elements)
      .filter((element) => element.kind !== 'process')
      .map((element) => ({ elementId: element.elementId, kind: element.kind, since: formatDateTime(element.enteredAt) })),
    variables: { ...(state.elements[state.rootId]?.variables ?? {}) },
    incidents: Object.values(state.incidents),
    openUserTasks: [...userTasks.values()],
  }));

  if (!input.state) apply({ type: 'start', variables: input.variables, businessKey: input.businessKey, startEventId: input.startEventId });

  while (!finished) {
    await condition(() => queue.length > 0 || finished);
    while (queue.length > 0 && !finished) apply(queue.shift()!);
  }
  return { status: state.status, variables: finalVariables };
}
