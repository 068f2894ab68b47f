import type { GraphFlow, GraphNode, ProcessGraph } from '../definition/graph';
import type { CalendarData } from '@xuncha/calendar';
import { uncoveredWarning, WorkingCalendar } from '@xuncha/calendar';
import type { FeelEnv } from './feel-runtime';
import { ExpressionError, evaluateCondition, evaluateList, evaluateText, evaluateValue } from './feel-runtime';
import { nextCronTime, parseCron } from './cron';
import type { ErrorCatches } from './error-catch';
import { catchesError, errorCatchesAbove } from './error-catch';
import { addDuration, DEFAULT_TIME_ZONE, formatDateTime, parseCycle, parseDateTime, parseDuration, startOfDate } from './time';
import { ENGINE_SEMANTICS, ENGINE_STATE_VERSION } from './types';
import type {
  ElementInstance,
  EngineCommand,
  EngineEvent,
  EngineState,
  Incident,
  RetryAction,
  StepResult,
  TimerState,
  TraceEntry,
} from './types';

/** An event the state cannot accept (unknown job, instance already ended): a caller error, not an incident. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A due or follow-up date as ISO date-time text on the engine's wall clock. A date alone
 * means the end of that day (due) or its start (follow-up) in the engine's zone; a date-time
 * without an offset is read in that zone too; anything that is not a date is an expression
 * error, raised where the task opens rather than found months later.
 */
function deadlineText(value: string | null | undefined, variables: Record<string, unknown>, env: FeelEnv, dayPart: 'start' | 'end'): string | null {
  if (!value) return null;
  const result = evaluateValue(value, variables, env);
  if (result === null) return null;
  const text = typeof result === 'string' ? result.trim() : '';
  try {
    if (DATE_ONLY.test(text)) return formatDateTime(parseDateTime(`${text}T${dayPart === 'end' ? '23:59:59' : '00:00:00'}`, env.zone), env.zone);
    return formatDateTime(parseDateTime(text, env.zone), env.zone);
  } catch {
    throw new ExpressionError(value, `expected a date or date and time, got ${JSON.stringify(result)}`);
  }
}

/** The counter part of an engine id ("subscription-12" → 12): creation order. */
function sequenceOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}

/**
 * A shallow copy of a record keyed by engine ids. Copying key by key is several times faster
 * than a spread for the dictionary-mode objects such records are, and a step copies each map
 * it changes once.
 */
function copyRecord<V>(record: Record<string, V>): Record<string, V> {
  const copy: Record<string, V> = {};
  for (const key in record) copy[key] = record[key]!;
  return copy;
}

/** Boundary events by the activity they are attached to, per graph (graphs never change once compiled). */
const boundaryIndexes = new WeakMap<ProcessGraph, Map<string, GraphNode[]>>();

function boundaryIndex(graph: ProcessGraph): Map<string, GraphNode[]> {
  let index = boundaryIndexes.get(graph);
  if (!index) {
    index = new Map();
    for (const node of Object.values(graph.nodes)) {
      if (node.type !== 'boundaryEvent' || !node.attachedTo) continue;
      const list = index.get(node.attachedTo) ?? [];
      list.push(node);
      index.set(node.attachedTo, list);
    }
    boundaryIndexes.set(graph, index);
  }
  return index;
}

/** What an instance is given when it is created, besides its graph and calendar. */
export interface InstanceOptions {
  /** The time zone date-times without an offset are read in (default Asia/Shanghai). */
  zone?: string;
  /** For a called instance: the error codes its caller catches (see EngineState.parentCatches). */
  parentCatches?: ErrorCatches | null;
  /** The group a user task naming nobody is offered to (see EngineState.defaultCandidateGroup). */
  defaultCandidateGroup?: string | null;
}

/**
 * A fresh state for a graph; call {@link step} with a `start` event next. `calendar` is the
 * working-day calendar the FEEL working-day functions read (without one they raise
 * incidents); the options give its time zone, kept for life, and what its caller catches.
 */
export function createInstanceState(graph: ProcessGraph, now: number, calendar: CalendarData | null = null, options: InstanceOptions = {}): EngineState {
  return {
    version: ENGINE_STATE_VERSION,
    semantics: ENGINE_SEMANTICS,
    graph,
    calendar,
    zone: options.zone ?? DEFAULT_TIME_ZONE,
    parentCatches: options.parentCatches ?? null,
    defaultCandidateGroup: options.defaultCandidateGroup ?? null,
    status: 'active',
    businessKey: null,
    startedAt: now,
    endedAt: null,
    nextId: 1,
    rootId: '',
    elements: {},
    joins: {},
    timers: {},
    subscriptions: {},
    incidents: {},
  };
}

/**
 * Brings a state written by an earlier release up to {@link ENGINE_STATE_VERSION}, in place.
 * Instances live for years: a state carried across continueAsNew, or read back for a
 * forecast, may come from any earlier release, and must run on this code unchanged in meaning.
 */
export function upgradeState(state: EngineState): EngineState {
  const version = state.version ?? 1;
  if (version > ENGINE_STATE_VERSION) throw new Error(`this engine reads states up to version ${ENGINE_STATE_VERSION}, not ${version}`);
  // 1 → 2: multi-instance bodies count terminated inner instances; the instance has a time
  // zone (the first release read wall times as China time, the zone it was run in).
  for (const element of Object.values(state.elements)) if (element.multi) element.multi.terminated ??= 0;
  state.zone ??= DEFAULT_TIME_ZONE;
  state.version = ENGINE_STATE_VERSION;
  return state;
}

/**
 * The engine: applies one event to a state at time `now` and returns the new state, the
 * commands for the shell and the trace. Pure: no I/O, no clock, no randomness. The given
 * state is never changed: the new one shares with it everything the step did not change (the
 * graph, the calendar, untouched element instances, timers and variables) and copies only
 * what it changes, so a step costs what it does, not the size of the state. States are
 * therefore values: treat them, and the variable values in them, as read-only.
 */
export function step(state: EngineState, event: EngineEvent, now: number): StepResult {
  let copy: EngineState;
  if ((state.version ?? 1) === ENGINE_STATE_VERSION) {
    copy = { ...state };
  } else {
    // A state of an earlier release is upgraded in place, so on a copy of its own.
    const { graph, calendar, ...runtime } = state;
    copy = upgradeState({ graph, ...(calendar !== undefined ? { calendar } : {}), ...(JSON.parse(JSON.stringify(runtime)) as Omit<EngineState, 'graph' | 'calendar'>) });
  }
  const run = new Run(copy, now);
  const correlated = run.handle(event);
  run.drain();
  return { state: copy, commands: run.commands, trace: run.trace, correlated };
}

type Action = { kind: 'enter'; elementId: string; scopeId: string; flowId: string | null } | { kind: 'leave'; instanceId: string };

/** What FEEL sees in one step; the working-day calendar is built only by a step that reads it (a working-day function, a deadline). */
class StepFeelEnv implements FeelEnv {
  private built: WorkingCalendar | null | undefined;

  constructor(
    readonly now: number,
    private readonly data: CalendarData | null,
    readonly zone: string,
  ) {}

  get calendar(): WorkingCalendar | null {
    if (this.built === undefined) this.built = this.data ? new WorkingCalendar(this.data) : null;
    return this.built;
  }
}

/** What an element's activation had before it began: see Run.rollback. */
interface Checkpoint {
  instance: ElementInstance;
  saved: Pick<ElementInstance, 'wait' | 'variables' | 'boundaryTimers' | 'boundarySubscriptions' | 'multi'>;
  commands: number;
  agenda: number;
  /** The id counter then: what the activation created has a later id. */
  nextId: number;
}

/** One application of the reducer: a mutable working copy plus what it emits. */
class Run {
  readonly commands: EngineCommand[] = [];
  readonly trace: TraceEntry[] = [];
  private readonly agenda: Action[] = [];
  private readonly touchedScopes = new Set<string>();
  /** The objects this step made (copies and new ones): only these may be changed. */
  private readonly owned = new Set<object>();

  /** What FEEL expressions see besides variables. */
  private readonly feel: FeelEnv;
  /** Who completed the user task this event completes: named on its trace entry. */
  private actor: { instanceId: string; by: string } | null = null;

  constructor(
    private readonly s: EngineState,
    private readonly now: number,
  ) {
    this.feel = new StepFeelEnv(now, s.calendar ?? null, s.zone ?? DEFAULT_TIME_ZONE);
  }

  /** The engine rules the instance started with (see ENGINE_SEMANTICS). */
  private get semantics(): number {
    return this.s.semantics ?? 1;
  }

  /**
   * Evaluates a deadline-like value and says whether the working-day calendar had to guess
   * for it (a year with no official data): the warning travels with the deadline.
   */
  private withCalendarWarning<T>(evaluate: () => T): { value: T; warning: string | null } {
    this.feel.calendar?.takeUncovered();
    const value = evaluate();
    return { value, warning: uncoveredWarning(this.feel.calendar?.takeUncovered() ?? []) };
  }

  // ---------------------------------------------------------------- events

  handle(event: EngineEvent): number {
    if (event.type === 'start') {
      if (this.s.rootId) throw new InvalidEventError('the instance has already started');
      this.startInstance(event.variables ?? {}, event.businessKey ?? null, event.startEventId);
      return 0;
    }
    if (event.type === 'calendarChanged') {
      // Expressions evaluated from now on count on the new days; dates already computed stay.
      this.s.calendar = event.calendar;
      return 0;
    }
    if (this.s.status !== 'active') {
      // A message to an ended instance simply reaches no subscription.
      if (event.type === 'messageReceived') return 0;
      throw new InvalidEventError(`the instance is ${this.s.status}`);
    }
    switch (event.type) {
      case 'timerFired':
        this.fireTimer(event.timerId);
        return 0;
      case 'jobCompleted':
        this.completeWaiting(this.waiting(event.jobId, 'job'), event.variables ?? {});
        return 0;
      case 'jobFailed': {
        const job = this.waiting(event.jobId, 'job');
        this.raiseIncident(job, 'job-failed', event.message, { kind: 'job', instanceId: job.id });
        return 0;
      }
      case 'jobError':
        this.throwError(this.waiting(event.jobId, 'job'), event.errorCode, event.message ?? null);
        return 0;
      case 'userTaskCompleted': {
        const task = this.waiting(event.taskId, 'user-task');
        if (event.completedBy) this.actor = { instanceId: task.id, by: event.completedBy };
        this.emit({ type: 'closeUserTask', taskId: task.id, reason: 'completed', completedBy: event.completedBy });
        this.completeWaiting(task, event.variables ?? {});
        return 0;
      }
      case 'messageReceived':
        return this.correlate(event.name, event.correlationKey, event.variables ?? {});
      case 'childCompleted': {
        const call = this.waiting(event.childId, 'child');
        const node = this.node(call.elementId);
        // Child variables come back only when asked for: all of them, or through output mappings.
        const back = node.calledElement?.propagateAllChildVariables !== false || node.outputs ? (event.variables ?? {}) : {};
        this.completeWaiting(call, back);
        return 0;
      }
      case 'childFailed': {
        const call = this.waiting(event.childId, 'child');
        this.raiseIncident(call, 'child-failed', event.message, { kind: 'child', instanceId: call.id });
        return 0;
      }
      case 'childError': {
        // The child has ended; the error is thrown at the call activity and searched outwards from there.
        const call = this.waiting(event.childId, 'child');
        call.wait = undefined;
        this.throwError(call, event.errorCode, event.message ?? null);
        return 0;
      }
      case 'retryIncident':
        this.retryIncident(event.incidentId);
        return 0;
      case 'setVariables':
        this.setScopeVariables(event);
        return 0;
      case 'cancel':
        this.cancelInstance();
        return 0;
    }
  }

  private startInstance(variables: Record<string, unknown>, businessKey: string | null, startEventId: string | undefined): void {
    const graph = this.s.graph;
    const starts = graph.children.map((id) => graph.nodes[id]).filter((n) => n?.type === 'startEvent');
    const start = startEventId === undefined ? starts.find((n) => n?.trigger?.kind === 'none') : starts.find((n) => n?.id === startEventId);
    if (!start) {
      throw new InvalidEventError(
        startEventId === undefined ? `process "${graph.processId}" has no none start event` : `"${startEventId}" is not a start event of process "${graph.processId}"`,
      );
    }
    this.s.businessKey = businessKey;
    this.s.startedAt = this.now;
    this.s.startEventId = start.id;
    const root = this.createInstance(graph.processId, 'process', null);
    root.variables = { ...variables };
    this.s.rootId = root.id;
    this.record('entered', graph.processId, undefined, root.id);
    this.activate(root);
  }

  /** The process scope opens: its event subprocesses listen, and the token leaves the start event. */
  private activateProcess(root: ElementInstance): void {
    const graph = this.s.graph;
    this.openEventSubprocessTriggers(root, graph.children);
    const start = this.s.startEventId ?? graph.children.find((id) => graph.nodes[id]?.type === 'startEvent' && graph.nodes[id]?.trigger?.kind === 'none');
    if (start) this.agenda.push({ kind: 'enter', elementId: start, scopeId: root.id, flowId: null });
  }

  /** Sets variables on a scope, as an operator does to fix what an incident complains about. */
  private setScopeVariables(event: Extract<EngineEvent, { type: 'setVariables' }>): void {
    const scope = this.el(event.scopeId ?? this.s.rootId);
    if (!scope) throw new InvalidEventError(`no element instance "${event.scopeId ?? ''}" is active in this instance`);
    if (event.local) Object.assign(scope.variables, event.variables);
    else this.setVariables(scope, event.variables, true);
    this.record('variables-set', scope.elementId, Object.keys(event.variables).sort().join(', '), scope.id);
    if (event.by) this.trace[this.trace.length - 1]!.by = event.by;
  }

  // ---------------------------------------------------------------- the agenda

  /** Runs queued actions until none is left, then re-examines inclusive joins whose inputs may have died. */
  drain(): void {
    for (;;) {
      while (this.agenda.length > 0) {
        const action = this.agenda.shift()!;
        if (action.kind === 'enter') this.enter(action.elementId, action.scopeId, action.flowId);
        else this.leave(action.instanceId);
      }
      if (!this.retryInclusiveJoins()) break;
    }
    for (const scopeId of [...this.touchedScopes]) this.completeScopeIfDone(scopeId);
    this.touchedScopes.clear();
    if (this.agenda.length > 0) this.drain();
  }

  private enter(elementId: string, scopeId: string, flowId: string | null): void {
    const node = this.node(elementId);
    if (!this.s.elements[scopeId]) return;
    if (node.type === 'parallelGateway' && node.incoming.length > 1) {
      this.arriveAtJoin(node, scopeId, flowId);
      if (this.parallelJoinReady(node, scopeId)) this.fireJoin(node, scopeId);
      return;
    }
    if (node.type === 'inclusiveGateway' && node.incoming.length > 1) {
      this.arriveAtJoin(node, scopeId, flowId);
      this.touchedScopes.add(scopeId);
      return;
    }
    const instance = this.createInstance(node.id, node.type, scopeId);
    this.record('entered', node.id, undefined, instance.id);
    this.activate(instance);
  }

  /**
   * Does what the element does on entry; an expression failure becomes an incident that can be
   * retried. Activation is all or nothing, as in Zeebe: when any expression fails (a boundary
   * timer, a correlation key, the job type), whatever the activation had already opened is
   * taken back, so a retry opens each timer, subscription, job or task exactly once.
   */
  private activate(instance: ElementInstance): void {
    const checkpoint = this.checkpoint(instance);
    try {
      if (instance.kind === 'process') {
        this.activateProcess(instance);
        return;
      }
      this.activateElement(instance);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      if (this.semantics >= 2) this.rollback(checkpoint);
      this.raiseIncident(instance, 'expression', error.message, { kind: 'activate', instanceId: instance.id });
    }
  }

  /** What an activation may change, to take it back when an expression fails half-way. */
  private checkpoint(instance: ElementInstance): Checkpoint {
    return {
      instance,
      saved: {
        wait: instance.wait,
        variables: { ...instance.variables },
        boundaryTimers: [...instance.boundaryTimers],
        boundarySubscriptions: [...instance.boundarySubscriptions],
        multi: instance.multi,
      },
      commands: this.commands.length,
      agenda: this.agenda.length,
      nextId: this.s.nextId,
    };
  }

  private rollback(checkpoint: Checkpoint): void {
    const { instance, saved } = checkpoint;
    instance.wait = saved.wait;
    instance.variables = saved.variables;
    instance.boundaryTimers = saved.boundaryTimers;
    instance.boundarySubscriptions = saved.boundarySubscriptions;
    if (saved.multi === undefined) delete instance.multi;
    else instance.multi = saved.multi;
    this.commands.length = checkpoint.commands;
    this.agenda.length = checkpoint.agenda;
    const created = (id: string): boolean => sequenceOf(id) >= checkpoint.nextId;
    for (const id of Object.keys(this.s.elements)) if (created(id)) delete this.writable('elements')[id];
    for (const id of Object.keys(this.s.timers)) if (created(id)) delete this.writable('timers')[id];
    for (const id of Object.keys(this.s.subscriptions)) if (created(id)) delete this.writable('subscriptions')[id];
  }

  private activateElement(instance: ElementInstance): void {
    const node = this.node(instance.elementId);
    {
      if (node.multiInstance && !instance.inner) {
        this.openMultiInstance(instance, node);
        return;
      }
      this.applyInputs(instance, node);
      switch (node.type) {
        case 'startEvent':
        case 'boundaryEvent':
          // Their output mappings apply as they complete, as in Camunda 8 (the first release ignored them).
          if (this.semantics < 2 || this.tryOutputs(instance, node, {})) this.agenda.push({ kind: 'leave', instanceId: instance.id });
          return;
        case 'endEvent':
          this.activateEnd(instance, node);
          return;
        case 'task':
        case 'manualTask':
        case 'intermediateThrowEvent':
          // Nothing to wait for: an undefined or manual task, or a none throw event, passes at once (as in Camunda 8).
          if (this.tryOutputs(instance, node, {})) this.agenda.push({ kind: 'leave', instanceId: instance.id });
          return;
        case 'serviceTask':
        case 'sendTask':
          this.runJob(instance, node);
          this.attachBoundaryEvents(instance);
          return;
        case 'userTask':
          this.openUserTask(instance, node);
          this.attachBoundaryEvents(instance);
          return;
        case 'receiveTask':
          this.subscribe(instance, node);
          instance.wait = 'message';
          this.attachBoundaryEvents(instance);
          return;
        case 'intermediateCatchEvent':
          if (node.trigger?.kind === 'timer') {
            this.scheduleTimer(instance, node);
            instance.wait = 'timer';
          } else {
            this.subscribe(instance, node);
            instance.wait = 'message';
          }
          return;
        case 'exclusiveGateway':
        case 'inclusiveGateway':
        case 'parallelGateway':
          this.split(instance, node);
          return;
        case 'eventBasedGateway':
          this.openEventGateway(instance, node);
          return;
        case 'subProcess':
          this.openSubprocess(instance, node);
          return;
        case 'callActivity':
          this.startChild(instance, node);
          this.attachBoundaryEvents(instance);
          return;
        default:
          this.raiseIncident(instance, 'unsupported', `${node.type} ("${node.id}") is not executed by this engine`, {
            kind: 'activate',
            instanceId: instance.id,
          });
      }
    }
  }

  /** Leaves an element: output mappings, boundary events closed, then every outgoing flow. */
  private leave(instanceId: string): void {
    const instance = this.el(instanceId);
    if (!instance) return;
    const node = this.node(instance.elementId);
    if (instance.inner) {
      this.innerDone(instance, node);
      return;
    }
    this.detachBoundaryEvents(instance);
    delete this.writable('elements')[instance.id];
    this.record('completed', node.id, undefined, instance.id);
    if (instance.scopeId) this.touchedScopes.add(instance.scopeId);
    for (const flowId of node.outgoing) this.takeFlow(this.flow(flowId), instance.scopeId!);
  }

  private takeFlow(flow: GraphFlow, scopeId: string): void {
    this.agenda.push({ kind: 'enter', elementId: flow.target, scopeId, flowId: flow.id });
  }

  // ---------------------------------------------------------------- elements

  private activateEnd(instance: ElementInstance, node: GraphNode): void {
    const trigger = node.trigger;
    if (trigger?.kind === 'terminate') {
      const scope = this.el(instance.scopeId!)!;
      delete this.writable('elements')[instance.id];
      this.record('completed', node.id, undefined, instance.id);
      for (const child of this.childrenOf(scope.id)) this.terminate(child);
      this.clearJoins(scope.id);
      this.completeScope(scope);
      return;
    }
    if (trigger?.kind === 'error') {
      this.throwError(instance, trigger.errorCode ?? '', null);
      return;
    }
    this.agenda.push({ kind: 'leave', instanceId: instance.id });
  }

  private runJob(instance: ElementInstance, node: GraphNode): void {
    const variables = this.visibleVariables(instance);
    const taskType = evaluateText(node.task?.type ?? '', variables, this.feel);
    const retries = Number(evaluateValue(node.task?.retries ?? '3', variables, this.feel));
    instance.wait = 'job';
    this.emit({
      type: 'runJob',
      jobId: instance.id,
      elementId: node.id,
      taskType,
      retries: Number.isInteger(retries) && retries > 0 ? retries : 3,
      headers: { ...(node.headers ?? {}) },
      variables,
    });
  }

  private openUserTask(instance: ElementInstance, node: GraphNode): void {
    const variables = this.visibleVariables(instance);
    const optionalText = (value: string | null | undefined): string | null => (value ? evaluateText(value, variables, this.feel) : null);
    const optionalList = (value: string | null | undefined): string[] => (value ? evaluateList(value, variables, this.feel) : []);
    const priority = node.priority === undefined ? 50 : Number(evaluateValue(node.priority, variables, this.feel));
    const due = this.withCalendarWarning(() => deadlineText(node.schedule?.dueDate, variables, this.feel, 'end'));
    const followUp = this.withCalendarWarning(() => deadlineText(node.schedule?.followUpDate, variables, this.feel, 'start'));
    const assignee = optionalText(node.assignment?.assignee);
    let candidateGroups = optionalList(node.assignment?.candidateGroups);
    const candidateUsers = optionalList(node.assignment?.candidateUsers);
    // A task that names nobody (Camunda 8 deploys it) is offered to the configured default group, so someone sees it.
    const defaultGroup = this.s.defaultCandidateGroup;
    if (assignee === null && candidateGroups.length === 0 && candidateUsers.length === 0 && defaultGroup) candidateGroups = [defaultGroup];
    instance.wait = 'user-task';
    this.emit({
      type: 'openUserTask',
      taskId: instance.id,
      elementId: node.id,
      name: node.name,
      assignee,
      candidateGroups,
      candidateUsers,
      dueDate: due.value,
      followUpDate: followUp.value,
      priority: Number.isFinite(priority) ? priority : 50,
      formId: node.form?.formId ?? null,
      formKey: node.form?.formKey ?? null,
      variables,
      warnings: [due.warning, followUp.warning].filter((warning): warning is string => warning !== null),
    });
  }

  /** Starts a child instance of the called process; it gets all visible variables, or only the input mappings. */
  private startChild(instance: ElementInstance, node: GraphNode): void {
    const called = node.calledElement!;
    const visible = this.visibleVariables(instance);
    const processId = evaluateText(called.processId, visible, this.feel);
    instance.wait = 'child';
    this.emit({
      type: 'startChild',
      childId: instance.id,
      elementId: node.id,
      processId,
      binding: called.bindingType ?? 'latest',
      versionTag: called.versionTag ?? null,
      variables: called.propagateAllParentVariables ? visible : { ...instance.variables },
      errorCatches: errorCatchesAbove(this.s.graph, node.id, this.s.parentCatches),
    });
  }

  private openSubprocess(instance: ElementInstance, node: GraphNode): void {
    const children = node.children ?? [];
    const start = children.map((id) => this.node(id)).find((n) => n.type === 'startEvent');
    this.attachBoundaryEvents(instance);
    this.openEventSubprocessTriggers(instance, children);
    if (start) this.agenda.push({ kind: 'enter', elementId: start.id, scopeId: instance.id, flowId: null });
  }

  /** The start events of a scope's event subprocesses listen while the scope is open (error starts wait for a throw). */
  private openEventSubprocessTriggers(scope: ElementInstance, children: string[]): void {
    for (const start of this.eventSubprocessStarts(children)) {
      if (start.trigger?.kind === 'timer') this.scheduleTimer(scope, start);
      if (start.trigger?.kind === 'message') this.subscribe(scope, start);
    }
  }

  private eventSubprocessStarts(children: string[]): GraphNode[] {
    return children
      .map((id) => this.node(id))
      .filter((n) => n.type === 'subProcess' && n.triggeredByEvent)
      .flatMap((sub) => (sub.children ?? []).map((id) => this.node(id)).filter((n) => n.type === 'startEvent'));
  }

  /** Starts an event subprocess in `scope`; an interrupting one first ends everything else the scope is doing. */
  private triggerEventSubprocess(scope: ElementInstance, start: GraphNode, variables: Record<string, unknown>): void {
    if (start.interrupting !== false) {
      for (const child of this.childrenOf(scope.id)) this.terminate(child);
      this.clearJoins(scope.id);
      this.closeTriggersOf(scope);
    }
    const eventSubprocess = this.createInstance(start.scopeId, 'subProcess', scope.id);
    this.record('entered', start.scopeId, undefined, eventSubprocess.id);
    this.setVariables(eventSubprocess, variables);
    this.agenda.push({ kind: 'enter', elementId: start.id, scopeId: eventSubprocess.id, flowId: null });
  }

  /** Closes the timers and subscriptions a scope holds for its event subprocesses. */
  private closeTriggersOf(scope: ElementInstance): void {
    for (const timer of Object.values(this.s.timers)) if (timer.ownerId === scope.id) this.cancelTimer(timer.id);
    for (const sub of Object.values(this.s.subscriptions)) if (sub.ownerId === scope.id) this.closeSubscription(sub.id);
  }

  // ---------------------------------------------------------------- gateways

  /** Exclusive: first true condition in document order, else the default. Inclusive: every true one, else the default. */
  private split(instance: ElementInstance, node: GraphNode): void {
    const outgoing = node.outgoing.map((id) => this.flow(id));
    let taken: GraphFlow[];
    // A gateway with no outgoing flow ends its path there (an implicit end); a single flow without a
    // condition is simply taken; a single flow with one is evaluated, as Camunda 8 does.
    const takeSingle = outgoing.length === 1 && (outgoing[0]!.condition === null || this.semantics < 2);
    if (node.type === 'parallelGateway' || outgoing.length === 0 || takeSingle) {
      taken = outgoing;
    } else {
      const variables = this.visibleVariables(instance);
      const conditional = outgoing.filter((flow) => flow.id !== node.defaultFlow);
      if (node.type === 'exclusiveGateway') {
        const first = conditional.find((flow) => flow.condition !== null && evaluateCondition(flow.condition, variables, this.feel));
        taken = first ? [first] : [];
      } else {
        taken = conditional.filter((flow) => flow.condition !== null && evaluateCondition(flow.condition, variables, this.feel));
      }
      if (taken.length === 0 && node.defaultFlow) taken = [this.flow(node.defaultFlow)];
    }
    if (taken.length === 0 && outgoing.length > 0) {
      this.raiseIncident(instance, 'no-outgoing-flow', `no condition of gateway "${node.name ?? node.id}" is true and it has no default flow`, {
        kind: 'activate',
        instanceId: instance.id,
      });
      return;
    }
    delete this.writable('elements')[instance.id];
    this.record('completed', node.id, undefined, instance.id);
    this.touchedScopes.add(instance.scopeId!);
    for (const flow of taken) this.takeFlow(flow, instance.scopeId!);
  }

  private joinKey(node: GraphNode, scopeId: string): string {
    return `${scopeId}/${node.id}`;
  }

  private arriveAtJoin(node: GraphNode, scopeId: string, flowId: string | null): void {
    const key = this.joinKey(node, scopeId);
    const tokens = this.joinTokens(key);
    const flow = flowId ?? '(none)';
    tokens[flow] = (tokens[flow] ?? 0) + 1;
  }

  private parallelJoinReady(node: GraphNode, scopeId: string): boolean {
    const tokens = this.s.joins[this.joinKey(node, scopeId)] ?? {};
    return node.incoming.every((flowId) => (tokens[flowId] ?? 0) > 0);
  }

  /** Consumes one token per arrived incoming flow and activates the gateway once. */
  private fireJoin(node: GraphNode, scopeId: string): void {
    const key = this.joinKey(node, scopeId);
    const tokens = this.joinTokens(key);
    for (const flowId of Object.keys(tokens)) {
      tokens[flowId] = (tokens[flowId] ?? 1) - 1;
      if (tokens[flowId] === 0) delete tokens[flowId];
    }
    if (Object.keys(tokens).length === 0) delete this.writable('joins')[key];
    const instance = this.createInstance(node.id, node.type, scopeId);
    this.record('entered', node.id, undefined, instance.id);
    this.activate(instance);
  }

  /**
   * An inclusive join fires when no incoming flow without a token can still receive one: no
   * live token in its scope (active element or token waiting at another join) can reach it.
   * Returns whether any join fired, so the agenda runs again.
   */
  private retryInclusiveJoins(): boolean {
    let fired = false;
    for (const key of Object.keys(this.s.joins).sort()) {
      const separator = key.lastIndexOf('/');
      const scopeId = key.slice(0, separator);
      const node = this.s.graph.nodes[key.slice(separator + 1)];
      if (!node || node.type !== 'inclusiveGateway' || !this.s.elements[scopeId]) continue;
      const tokens = this.s.joins[key] ?? {};
      const waitingFlows = node.incoming.filter((flowId) => !(tokens[flowId] ?? 0));
      if (waitingFlows.some((flowId) => this.canStillArrive(scopeId, node, flowId))) continue;
      this.fireJoin(node, scopeId);
      fired = true;
    }
    return fired;
  }

  private canStillArrive(scopeId: string, gateway: GraphNode, flowId: string): boolean {
    const origins = new Set<string>();
    for (const child of this.childrenOf(scopeId)) origins.add(child.elementId);
    for (const key of Object.keys(this.s.joins)) {
      if (key.startsWith(`${scopeId}/`) && key !== this.joinKey(gateway, scopeId)) origins.add(key.slice(scopeId.length + 1));
    }
    const seen = new Set<string>();
    const queue = [...origins];
    while (queue.length > 0) {
      const current = this.s.graph.nodes[queue.pop()!];
      if (!current || seen.has(current.id)) continue;
      seen.add(current.id);
      const reachable = [...current.outgoing];
      for (const boundary of this.boundaryEventsOf(current.id)) reachable.push(...boundary.outgoing);
      for (const outgoingId of reachable) {
        const flow = this.flow(outgoingId);
        if (flow.target === gateway.id) {
          if (flow.id === flowId) return true;
          continue;
        }
        queue.push(flow.target);
      }
    }
    return false;
  }

  private clearJoins(scopeId: string): void {
    for (const key of Object.keys(this.s.joins)) if (key.startsWith(`${scopeId}/`)) delete this.writable('joins')[key];
  }

  // ---------------------------------------------------------------- timers and messages

  private scheduleTimer(owner: ElementInstance, timerNode: GraphNode): string {
    const timer = timerNode.trigger?.kind === 'timer' ? timerNode.trigger.timer : undefined;
    if (!timer) throw new Error(`"${timerNode.id}" has no timer`);
    const variables = this.visibleVariables(owner);
    const evaluated = this.withCalendarWarning(() => String(evaluateValue(timer.value, variables, this.feel)));
    const value = evaluated.value;
    let dueAt: number;
    let repetitions: number | null = 1;
    let period = null;
    let cron: string | undefined;
    try {
      // A date alone (say from `add working days`) means the start of that day in the engine's zone.
      const zone = this.feel.zone;
      if (timer.kind === 'date') dueAt = DATE_ONLY.test(value) ? startOfDate(value, zone) : parseDateTime(value, zone);
      else if (timer.kind === 'duration') dueAt = addDuration(this.now, parseDuration(value), zone);
      else if (value.trim().startsWith('R')) {
        const cycle = parseCycle(value, zone);
        period = cycle.period;
        repetitions = cycle.repetitions;
        dueAt = cycle.start ?? addDuration(this.now, cycle.period, zone);
      } else {
        // Anything else in a cycle is a cron expression, as in Camunda 8: it fires until the owner ends.
        cron = value.trim();
        repetitions = null;
        dueAt = this.nextCron(cron, this.now);
      }
    } catch (error) {
      throw new ExpressionError(timer.value, error instanceof Error ? error.message : String(error));
    }
    const id = this.newId('timer');
    const state: TimerState = { id, ownerId: owner.id, elementId: timerNode.id, dueAt, fired: 0, repetitions, period };
    if (cron !== undefined) state.cron = cron;
    if (evaluated.warning) state.warning = evaluated.warning;
    this.writable('timers')[id] = state;
    this.emit({ type: 'startTimer', timerId: id, elementId: timerNode.id, dueAt, warning: evaluated.warning });
    return id;
  }

  /** The next firing of a cron cycle after `after`, in the instance's zone. */
  private nextCron(cron: string, after: number): number {
    const next = nextCronTime(parseCron(cron), after, this.feel.zone);
    if (next === null) throw new Error(`the cron expression "${cron}" never fires`);
    return next;
  }

  /**
   * When a cycle timer that just fired fires next, or null when it is done: an ISO cycle adds
   * its period to the due date it fired for (so 31 January + P1M is 28 February, then 28
   * March, as in Camunda 8); a cron cycle fires at its next time after now.
   */
  private nextFiring(timer: TimerState): number | null {
    if (timer.repetitions !== null && timer.fired >= timer.repetitions) return null;
    if (timer.cron !== undefined) return nextCronTime(parseCron(timer.cron), this.now, this.feel.zone);
    if (timer.period === null) return null;
    return addDuration(timer.dueAt, timer.period, this.feel.zone);
  }

  private fireTimer(timerId: string): void {
    const timer = this.timer(timerId);
    if (!timer) throw new InvalidEventError(`timer "${timerId}" is not scheduled (already fired or cancelled)`);
    const owner = this.el(timer.ownerId);
    if (!owner) throw new InvalidEventError(`timer "${timerId}" belongs to an element that has ended`);
    timer.fired += 1;
    const node = this.node(timer.elementId);
    if (owner.kind === 'eventBasedGateway') {
      this.passEventGateway(owner, node, {});
      return;
    }
    if (node.type === 'startEvent') {
      const next = node.interrupting === false ? this.nextFiring(timer) : null;
      if (next !== null) {
        timer.dueAt = next;
        this.emit({ type: 'startTimer', timerId, elementId: node.id, dueAt: timer.dueAt });
      } else {
        delete this.writable('timers')[timerId];
      }
      this.triggerEventSubprocess(owner, node, {});
      return;
    }
    if (node.type === 'intermediateCatchEvent') {
      delete this.writable('timers')[timerId];
      this.completeWaiting(owner, {});
      return;
    }
    if (node.interrupting !== false) {
      delete this.writable('timers')[timerId];
      owner.boundaryTimers = owner.boundaryTimers.filter((id) => id !== timerId);
      this.interruptWith(owner, node);
      return;
    }
    const next = this.nextFiring(timer);
    if (next !== null) {
      timer.dueAt = next;
      this.emit({ type: 'startTimer', timerId, elementId: node.id, dueAt: timer.dueAt });
    } else {
      delete this.writable('timers')[timerId];
      owner.boundaryTimers = owner.boundaryTimers.filter((id) => id !== timerId);
    }
    this.agenda.push({ kind: 'enter', elementId: node.id, scopeId: owner.scopeId!, flowId: null });
  }

  private subscribe(owner: ElementInstance, messageNode: GraphNode): string {
    const trigger = messageNode.trigger;
    if (trigger?.kind !== 'message') throw new Error(`"${messageNode.id}" has no message`);
    const variables = this.visibleVariables(owner);
    const correlationKey = trigger.correlationKey === null ? '' : evaluateText(trigger.correlationKey, variables, this.feel);
    const messageName = evaluateText(trigger.messageName, variables, this.feel);
    const id = this.newId('subscription');
    this.writable('subscriptions')[id] = { id, ownerId: owner.id, elementId: messageNode.id, messageName, correlationKey, createdAt: this.now };
    this.emit({ type: 'openSubscription', subscriptionId: id, elementId: messageNode.id, messageName, correlationKey });
    return id;
  }

  /** Delivers a message to the oldest matching subscription of this instance. */
  private correlate(name: string, correlationKey: string, variables: Record<string, unknown>): number {
    const match = Object.values(this.s.subscriptions)
      .filter((sub) => sub.messageName === name && sub.correlationKey === correlationKey)
      .sort((a, b) => a.createdAt - b.createdAt || sequenceOf(a.id) - sequenceOf(b.id))[0];
    if (!match) return 0;
    const owner = this.el(match.ownerId)!;
    const node = this.node(match.elementId);
    this.record('correlated', node.id, name, owner.id);
    if (owner.kind === 'eventBasedGateway') {
      this.passEventGateway(owner, node, variables);
      return 1;
    }
    if (node.type === 'startEvent') {
      if (node.interrupting !== false) this.closeSubscription(match.id);
      this.triggerEventSubprocess(owner, node, variables);
      return 1;
    }
    if (node.type !== 'boundaryEvent') {
      this.setVariables(owner, variables);
      this.completeWaiting(owner, {});
      return 1;
    }
    if (node.interrupting !== false) {
      this.interruptWith(owner, node, variables);
    } else {
      this.setVariables(owner, variables);
      this.agenda.push({ kind: 'enter', elementId: node.id, scopeId: owner.scopeId!, flowId: null });
    }
    return 1;
  }

  private attachBoundaryEvents(activity: ElementInstance): void {
    if (activity.inner) return;
    for (const boundary of this.boundaryEventsOf(activity.elementId)) {
      if (boundary.trigger?.kind === 'timer') activity.boundaryTimers.push(this.scheduleTimer(activity, boundary));
      if (boundary.trigger?.kind === 'message') activity.boundarySubscriptions.push(this.subscribe(activity, boundary));
    }
  }

  private detachBoundaryEvents(activity: ElementInstance): void {
    for (const timerId of activity.boundaryTimers) this.cancelTimer(timerId);
    for (const subscriptionId of activity.boundarySubscriptions) this.closeSubscription(subscriptionId);
    activity.boundaryTimers = [];
    activity.boundarySubscriptions = [];
  }

  private boundaryEventsOf(elementId: string): GraphNode[] {
    return boundaryIndex(this.s.graph).get(elementId) ?? [];
  }

  /** An interrupting boundary event: the activity and everything inside it end, the boundary path starts. */
  private interruptWith(activity: ElementInstance, boundary: GraphNode, variables: Record<string, unknown> = {}): void {
    const scope = this.el(activity.scopeId!)!;
    this.terminate(activity);
    this.setVariables(scope, variables, true);
    this.agenda.push({ kind: 'enter', elementId: boundary.id, scopeId: scope.id, flowId: null });
  }

  // ---------------------------------------------------------------- event-based gateway

  /** Waits on every event after the gateway at once; the first to happen wins. */
  private openEventGateway(gateway: ElementInstance, node: GraphNode): void {
    gateway.wait = 'event';
    for (const flowId of node.outgoing) {
      const target = this.node(this.flow(flowId).target);
      if (target.trigger?.kind === 'timer') this.scheduleTimer(gateway, target);
      else if (target.trigger?.kind === 'message') this.subscribe(gateway, target);
      else {
        this.raiseIncident(gateway, 'unsupported', `"${target.id}" after event-based gateway "${node.id}" is not a timer or message catch event`, {
          kind: 'activate',
          instanceId: gateway.id,
        });
        return;
      }
    }
  }

  /** The event that happened first: the gateway and the other events are cancelled, the winner passes at once. */
  private passEventGateway(gateway: ElementInstance, winner: GraphNode, variables: Record<string, unknown>): void {
    for (const timer of Object.values(this.s.timers)) if (timer.ownerId === gateway.id) this.cancelTimer(timer.id);
    for (const sub of Object.values(this.s.subscriptions)) if (sub.ownerId === gateway.id) this.closeSubscription(sub.id);
    delete this.writable('elements')[gateway.id];
    this.record('completed', gateway.elementId, undefined, gateway.id);
    const event = this.createInstance(winner.id, winner.type, gateway.scopeId);
    this.record('entered', winner.id, undefined, event.id);
    this.setVariables(event, variables);
    this.agenda.push({ kind: 'leave', instanceId: event.id });
  }

  // ---------------------------------------------------------------- multi-instance

  /** The body of a multi-instance activity: one inner instance per item, all at once or one after another. */
  private openMultiInstance(body: ElementInstance, node: GraphNode): void {
    const multi = node.multiInstance!;
    const items = evaluateValue(multi.inputCollection, this.visibleVariables(body), this.feel);
    if (!Array.isArray(items)) throw new ExpressionError(multi.inputCollection, `the input collection must be a list, got ${JSON.stringify(items)}`);
    body.multi = { items, started: 0, completed: 0, outputs: items.map(() => null) };
    this.attachBoundaryEvents(body);
    if (items.length === 0) {
      this.finishMultiInstance(body, node);
      return;
    }
    const first = multi.sequential ? 1 : items.length;
    for (let i = 0; i < first; i += 1) this.startInner(body, node);
  }

  private startInner(body: ElementInstance, node: GraphNode): void {
    const multi = body.multi!;
    const index = multi.started;
    multi.started += 1;
    const inner = this.createInstance(node.id, node.type, body.id);
    inner.inner = true;
    inner.variables = { loopCounter: index + 1 };
    if (node.multiInstance?.inputElement) inner.variables[node.multiInstance.inputElement] = multi.items[index] ?? null;
    this.record('entered', node.id, undefined, inner.id);
    this.activate(inner);
  }

  /** An inner instance finished: collect its output, then check the completion condition, start the next or finish. */
  private innerDone(inner: ElementInstance, node: GraphNode): void {
    if (this.semantics < 2) {
      this.innerDoneFirstRelease(inner, node);
      return;
    }
    const body = this.el(inner.scopeId!)!;
    const multi = body.multi!;
    const spec = node.multiInstance!;
    const index = Number(inner.variables.loopCounter) - 1;
    // Evaluate first, change nothing until both succeed: a failure is an incident on the inner
    // instance, still completing, and its retry completes it again (Zeebe's COMPLETE_ELEMENT).
    let output: unknown = null;
    let satisfied = false;
    try {
      const visible = this.visibleVariables(inner);
      if (spec.outputElement) output = evaluateValue(spec.outputElement, visible, this.feel);
      if (spec.completionCondition) satisfied = evaluateCondition(spec.completionCondition, { ...this.legacyLoopCounters(body, inner), ...visible, ...this.loopCounters(body, inner) }, this.feel);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.raiseIncident(inner, 'expression', error.message, { kind: 'complete', instanceId: inner.id, variables: {} });
      return;
    }
    if (spec.outputElement) this.outputsOf(multi)[index] = output;
    delete this.writable('elements')[inner.id];
    this.record('completed', node.id, undefined, inner.id);
    multi.completed += 1;
    if (satisfied || multi.completed === multi.items.length) {
      for (const other of this.childrenOf(body.id)) {
        this.terminate(other);
        multi.terminated = (multi.terminated ?? 0) + 1;
      }
      this.finishMultiInstance(body, node);
    } else if (spec.sequential && multi.started < multi.items.length) {
      this.startInner(body, node);
    }
  }

  /**
   * How the first release completed an inner instance, kept for the instances it started: the
   * condition saw the body's variables and the counters nrOfInstances (the collection's size),
   * nrOfCompletedInstances and nrOfActiveInstances, was skipped on the last completion, and its
   * failure was an incident on the body.
   */
  private innerDoneFirstRelease(inner: ElementInstance, node: GraphNode): void {
    const body = this.el(inner.scopeId!)!;
    const multi = body.multi!;
    const spec = node.multiInstance!;
    const index = Number(inner.variables.loopCounter) - 1;
    try {
      if (spec.outputElement) this.outputsOf(multi)[index] = evaluateValue(spec.outputElement, this.visibleVariables(inner), this.feel);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.raiseIncident(inner, 'expression', error.message, { kind: 'complete', instanceId: inner.id, variables: {} });
      return;
    }
    delete this.writable('elements')[inner.id];
    this.record('completed', node.id, undefined, inner.id);
    multi.completed += 1;
    const counters = { nrOfInstances: multi.items.length, nrOfCompletedInstances: multi.completed, nrOfActiveInstances: this.childrenOf(body.id).length };
    let done = multi.completed === multi.items.length;
    if (!done && spec.completionCondition) {
      try {
        done = evaluateCondition(spec.completionCondition, { ...this.visibleVariables(body), ...counters }, this.feel);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.raiseIncident(body, 'expression', error.message, { kind: 'activate', instanceId: body.id });
        return;
      }
    }
    if (done) {
      for (const other of this.childrenOf(body.id)) this.terminate(other);
      this.finishMultiInstance(body, node);
    } else if (spec.sequential && multi.started < multi.items.length) {
      this.startInner(body, node);
    }
  }

  /**
   * What a completion condition sees as an inner instance completes, as in Camunda 8: the
   * instances created so far, those still active besides this one, the completed ones with
   * this one, the terminated ones. They shadow variables of the same names. The names of the
   * first release (`nrOfInstances` …, the collection's size and the same counts) stay readable
   * for models written then, unless a variable has such a name.
   */
  private legacyLoopCounters(body: ElementInstance, completing: ElementInstance): Record<string, number> {
    const counters = this.loopCounters(body, completing);
    return { nrOfInstances: body.multi!.items.length, nrOfActiveInstances: counters.numberOfActiveInstances, nrOfCompletedInstances: counters.numberOfCompletedInstances };
  }

  private loopCounters(
    body: ElementInstance,
    completing: ElementInstance,
  ): { numberOfInstances: number; numberOfActiveInstances: number; numberOfCompletedInstances: number; numberOfTerminatedInstances: number } {
    const multi = body.multi!;
    const active = this.childrenOf(body.id).filter((child) => child.id !== completing.id).length;
    const completed = multi.completed + 1;
    return {
      numberOfInstances: multi.started,
      numberOfActiveInstances: active,
      numberOfCompletedInstances: completed,
      numberOfTerminatedInstances: multi.terminated ?? 0,
    };
  }

  private finishMultiInstance(body: ElementInstance, node: GraphNode): void {
    const spec = node.multiInstance!;
    if (spec.outputCollection) this.setVariables(body, { [spec.outputCollection]: body.multi!.outputs });
    this.agenda.push({ kind: 'leave', instanceId: body.id });
  }

  // ---------------------------------------------------------------- errors

  /**
   * Throws a BPMN error from an element. Catchers are searched outwards: the element's own error
   * boundaries, then for each enclosing scope its error event subprocesses and then the scope's
   * error boundaries. An exact code wins over a catch-all at each level.
   */
  private throwError(source: ElementInstance, code: string, message: string | null): void {
    const pick = (candidates: GraphNode[]): GraphNode | undefined =>
      candidates.find((n) => n.trigger?.kind === 'error' && n.trigger.errorCode === code) ??
      candidates.find((n) => n.trigger?.kind === 'error' && !n.trigger.errorCode);
    const endSource = (): void => {
      if (source.kind === 'endEvent' && this.s.elements[source.id]) {
        delete this.writable('elements')[source.id];
        this.record('completed', source.elementId, undefined, source.id);
      }
    };
    // An inner multi-instance throws on behalf of its body, which carries the boundary events.
    const holder = source.inner ? this.el(source.scopeId!)! : source;
    if (source.kind !== 'endEvent') {
      const own = pick(this.boundaryEventsOf(holder.elementId));
      if (own) {
        this.interruptWith(holder, own);
        return;
      }
    }
    for (let scope = holder.scopeId ? this.el(holder.scopeId) : undefined; scope; scope = scope.scopeId ? this.el(scope.scopeId) : undefined) {
      const children = scope.kind === 'process' ? this.s.graph.children : (this.node(scope.elementId).children ?? []);
      const eventStart = pick(this.eventSubprocessStarts(children));
      if (eventStart) {
        endSource();
        this.triggerEventSubprocess(scope, eventStart, {});
        return;
      }
      if (scope.kind === 'process') break;
      const boundary = pick(this.boundaryEventsOf(scope.elementId));
      if (boundary) {
        endSource();
        this.interruptWith(scope, boundary);
        return;
      }
    }
    if (catchesError(this.s.parentCatches, code)) {
      this.throwToCaller(code, message);
      return;
    }
    const detail = message ? `: ${message}` : '';
    this.raiseIncident(source, 'unhandled-error', `the error "${code}" is not caught by any error boundary or event subprocess${detail}`, {
      kind: source.wait === 'job' ? 'job' : 'activate',
      instanceId: source.id,
    });
  }

  // ---------------------------------------------------------------- completion and termination

  private completeWaiting(instance: ElementInstance, variables: Record<string, unknown>): void {
    const node = this.node(instance.elementId);
    if (instance.wait === 'message') {
      for (const sub of Object.values(this.s.subscriptions)) if (sub.ownerId === instance.id && sub.elementId === node.id) this.closeSubscription(sub.id);
    }
    instance.wait = undefined;
    if (instance.inner) Object.assign(instance.variables, variables);
    if (this.tryOutputs(instance, node, variables)) this.agenda.push({ kind: 'leave', instanceId: instance.id });
  }

  /** Applies output mappings; an expression failure becomes an incident that retries the completion with the same result. */
  private tryOutputs(instance: ElementInstance, node: GraphNode, variables: Record<string, unknown>): boolean {
    try {
      this.applyOutputs(instance, node, variables);
      return true;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      this.raiseIncident(instance, 'expression', error.message, { kind: 'complete', instanceId: instance.id, variables });
      return false;
    }
  }

  /** Ends an element early (interrupted, cancelled, terminated): closes what it opened, children first. */
  private terminate(instance: ElementInstance): void {
    for (const child of this.childrenOf(instance.id)) this.terminate(child);
    this.clearJoins(instance.id);
    this.detachBoundaryEvents(instance);
    if (instance.wait === 'job') this.emit({ type: 'cancelJob', jobId: instance.id });
    if (instance.wait === 'user-task') this.emit({ type: 'closeUserTask', taskId: instance.id, reason: 'cancelled' });
    if (instance.wait === 'child') this.emit({ type: 'cancelChild', childId: instance.id });
    for (const timer of Object.values(this.s.timers)) if (timer.ownerId === instance.id) this.cancelTimer(timer.id);
    for (const sub of Object.values(this.s.subscriptions)) if (sub.ownerId === instance.id) this.closeSubscription(sub.id);
    for (const incident of Object.values(this.s.incidents)) {
      if (incident.instanceId === instance.id) {
        delete this.writable('incidents')[incident.id];
        this.emit({ type: 'resolveIncident', incidentId: incident.id });
      }
    }
    delete this.writable('elements')[instance.id];
    if (instance.kind !== 'process') this.record('terminated', instance.elementId, undefined, instance.id);
  }

  private completeScopeIfDone(scopeId: string): void {
    const scope = this.s.elements[scopeId];
    if (!scope || scope.multi || this.hasChildren(scopeId)) return;
    if (Object.keys(this.s.joins).some((key) => key.startsWith(`${scopeId}/`))) return;
    if (Object.values(this.s.incidents).some((incident) => incident.instanceId === scopeId)) return;
    this.completeScope(this.el(scopeId)!);
  }

  private completeScope(scope: ElementInstance): void {
    this.closeTriggersOf(scope);
    if (scope.kind === 'process') {
      delete this.writable('elements')[scope.id];
      this.s.status = 'completed';
      this.s.endedAt = this.now;
      this.record('instance-completed', scope.elementId, undefined, scope.id);
      this.emit({ type: 'completeInstance', variables: { ...scope.variables } });
      return;
    }
    const node = this.node(scope.elementId);
    if (this.tryOutputs(scope, node, {})) this.agenda.push({ kind: 'leave', instanceId: scope.id });
  }

  /**
   * An error nothing in this instance catches, but its caller does: as in Camunda 8, the caller
   * catches it at its call activity, and this instance ends terminated, everything in it too.
   */
  private throwToCaller(code: string, message: string | null): void {
    const root = this.el(this.s.rootId);
    if (root) this.terminate(root);
    this.s.status = 'cancelled';
    this.s.endedAt = this.now;
    this.record('instance-cancelled', this.s.graph.processId, `the error "${code}" was thrown to the calling instance`, this.s.rootId);
    this.emit({ type: 'errorToCaller', errorCode: code, message });
    this.emit({ type: 'cancelInstance' });
  }

  private cancelInstance(): void {
    const root = this.el(this.s.rootId);
    if (root) this.terminate(root);
    this.s.status = 'cancelled';
    this.s.endedAt = this.now;
    this.record('instance-cancelled', this.s.graph.processId, undefined, this.s.rootId);
    this.emit({ type: 'cancelInstance' });
  }

  // ---------------------------------------------------------------- incidents

  private raiseIncident(instance: ElementInstance, type: Incident['type'], message: string, retry: RetryAction): void {
    const incident: Incident = { id: this.newId('incident'), instanceId: instance.id, elementId: instance.elementId, type, message, createdAt: this.now, retry };
    this.writable('incidents')[incident.id] = incident;
    this.record('incident', instance.elementId, message, instance.id);
    this.emit({ type: 'raiseIncident', incident });
  }

  private retryIncident(incidentId: string): void {
    const incident = this.s.incidents[incidentId];
    if (!incident) throw new InvalidEventError(`incident "${incidentId}" is not open`);
    delete this.writable('incidents')[incidentId];
    this.record('resolved', incident.elementId, undefined, incident.instanceId);
    this.emit({ type: 'resolveIncident', incidentId });
    const instance = this.el(incident.retry.instanceId);
    if (!instance) return;
    if (incident.retry.kind === 'child') {
      // Boundary events are still attached; only the child starts again.
      try {
        this.startChild(instance, this.node(instance.elementId));
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.raiseIncident(instance, 'expression', error.message, { kind: 'child', instanceId: instance.id });
      }
      return;
    }
    if (incident.retry.kind === 'complete') {
      if (this.tryOutputs(instance, this.node(instance.elementId), incident.retry.variables)) {
        this.agenda.push({ kind: 'leave', instanceId: instance.id });
      }
    } else if (incident.retry.kind === 'job') {
      try {
        this.runJob(instance, this.node(instance.elementId));
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        this.raiseIncident(instance, 'expression', error.message, { kind: 'job', instanceId: instance.id });
      }
    } else {
      this.activate(instance);
    }
  }

  // ---------------------------------------------------------------- variables (Camunda 8 rules)

  /** Variables an element sees: its scope chain from the root down, then its own locals. */
  private visibleVariables(instance: ElementInstance): Record<string, unknown> {
    const chain: ElementInstance[] = [];
    for (let current: ElementInstance | undefined = instance; current; current = current.scopeId ? this.s.elements[current.scopeId] : undefined) {
      chain.unshift(current);
    }
    return Object.assign({}, ...chain.map((element) => element.variables)) as Record<string, unknown>;
  }

  /** Input mappings create local variables of the element, evaluated in its scope. */
  private applyInputs(instance: ElementInstance, node: GraphNode): void {
    if (!node.inputs) return;
    const scope = instance.scopeId ? this.s.elements[instance.scopeId] : undefined;
    const outer = scope ? this.visibleVariables(scope) : {};
    const locals: Record<string, unknown> = { ...instance.variables };
    for (const mapping of node.inputs) {
      locals[mapping.target] = evaluateValue(mapping.source, { ...outer, ...locals }, this.feel);
    }
    instance.variables = locals;
  }

  /**
   * Without output mappings, result variables propagate: each is set in the nearest enclosing
   * scope that already has it, else in the process scope. With output mappings, only the
   * mapped targets propagate, evaluated against the element's variables and the result.
   */
  private applyOutputs(instance: ElementInstance, node: GraphNode, result: Record<string, unknown>): void {
    const scope = instance.scopeId ? this.s.elements[instance.scopeId] : undefined;
    if (!scope) return;
    if (!node.outputs) {
      this.setVariables(instance, result);
      return;
    }
    const context = { ...this.visibleVariables(instance), ...result };
    const mapped: Record<string, unknown> = {};
    for (const mapping of node.outputs) mapped[mapping.target] = evaluateValue(mapping.source, context, this.feel);
    this.setVariables(instance, mapped);
  }

  /** Propagates variables from `from` upwards (from its enclosing scope, or from `from` itself when it is the scope). */
  private setVariables(from: ElementInstance, variables: Record<string, unknown>, fromItself = false): void {
    for (const [name, value] of Object.entries(variables)) {
      let target: ElementInstance | undefined = fromItself ? from : from.scopeId ? this.s.elements[from.scopeId] : from;
      let owner: ElementInstance | undefined;
      while (target) {
        if (Object.prototype.hasOwnProperty.call(target.variables, name)) {
          owner = target;
          break;
        }
        target = target.scopeId ? this.s.elements[target.scopeId] : undefined;
      }
      const holder = owner ?? this.s.elements[this.s.rootId];
      (holder ? this.el(holder.id)! : this.own(from)).variables[name] = value;
    }
  }

  // ---------------------------------------------------------------- helpers

  private createInstance(elementId: string, kind: ElementInstance['kind'], scopeId: string | null): ElementInstance {
    const instance: ElementInstance = {
      id: this.newId('element'),
      elementId,
      kind,
      scopeId,
      enteredAt: this.now,
      variables: {},
      boundaryTimers: [],
      boundarySubscriptions: [],
    };
    this.writable('elements')[instance.id] = instance;
    this.owned.add(instance);
    return instance;
  }

  /** The ids of the element instances directly inside a scope instance. */
  private childIdsOf(scopeId: string): string[] {
    const ids: string[] = [];
    const elements = this.s.elements;
    for (const id in elements) if (elements[id]!.scopeId === scopeId) ids.push(id);
    return ids;
  }

  private hasChildren(scopeId: string): boolean {
    const elements = this.s.elements;
    for (const id in elements) if (elements[id]!.scopeId === scopeId) return true;
    return false;
  }

  /** The element instances directly inside a scope instance, to change (they are taken for this step). */
  private childrenOf(scopeId: string): ElementInstance[] {
    return this.childIdsOf(scopeId).map((id) => this.el(id)!);
  }

  private waiting(id: string, kind: ElementInstance['wait']): ElementInstance {
    const instance = this.el(id);
    if (!instance || instance.wait !== kind) throw new InvalidEventError(`no ${kind ?? 'element'} "${id}" is waiting in this instance`);
    return instance;
  }

  // ---------------------------------------------------------------- copy on write

  /**
   * Makes a map of the state this step's own (a shallow copy, once per step) and answers it:
   * what the step adds to or removes from a map goes through here, never into the given state.
   */
  private writable<K extends 'elements' | 'timers' | 'subscriptions' | 'incidents' | 'joins'>(key: K): EngineState[K] {
    const map = this.s[key];
    if (this.owned.has(map)) return map;
    const copy = copyRecord(map as Record<string, unknown>) as EngineState[K];
    this.s[key] = copy;
    this.owned.add(copy);
    return copy;
  }

  /**
   * An element instance to read and change in this step: the first time, a copy of it (its
   * variables, boundary lists and multi-instance counters copied one level deep) takes its
   * place, and every later lookup in the step answers that same object. Multi-instance outputs
   * are copied only when written ({@link outputsOf}).
   */
  private el(id: string): ElementInstance | undefined {
    const current = this.s.elements[id];
    if (!current || this.owned.has(current)) return current;
    const copy: ElementInstance = {
      ...current,
      variables: { ...current.variables },
      boundaryTimers: [...current.boundaryTimers],
      boundarySubscriptions: [...current.boundarySubscriptions],
    };
    if (current.multi) copy.multi = { ...current.multi };
    this.writable('elements')[id] = copy;
    this.owned.add(copy);
    return copy;
  }

  /** The outputs of a multi-instance body (taken with {@link el}), to change in this step: copied the first time. */
  private outputsOf(multi: NonNullable<ElementInstance['multi']>): unknown[] {
    if (!this.owned.has(multi.outputs)) {
      multi.outputs = [...multi.outputs];
      this.owned.add(multi.outputs);
    }
    return multi.outputs;
  }

  /** This step's own version of an element instance that may have been read before it was taken. */
  private own(instance: ElementInstance): ElementInstance {
    return this.el(instance.id) ?? instance;
  }

  /** A timer to change in this step (copied the first time). */
  private timer(id: string): TimerState | undefined {
    const current = this.s.timers[id];
    if (!current || this.owned.has(current)) return current;
    const copy = { ...current };
    this.writable('timers')[id] = copy;
    this.owned.add(copy);
    return copy;
  }

  /** The tokens waiting at a join, to change in this step (copied the first time, created if none). */
  private joinTokens(key: string): Record<string, number> {
    const current = this.s.joins[key];
    if (current && this.owned.has(current)) return current;
    const copy = { ...(current ?? {}) };
    this.writable('joins')[key] = copy;
    this.owned.add(copy);
    return copy;
  }

  private cancelTimer(timerId: string): void {
    if (!this.s.timers[timerId]) return;
    delete this.writable('timers')[timerId];
    this.emit({ type: 'cancelTimer', timerId });
  }

  private closeSubscription(subscriptionId: string): void {
    if (!this.s.subscriptions[subscriptionId]) return;
    delete this.writable('subscriptions')[subscriptionId];
    this.emit({ type: 'closeSubscription', subscriptionId });
  }

  private node(id: string): GraphNode {
    const node = this.s.graph.nodes[id];
    if (!node) throw new Error(`the graph has no node "${id}"`);
    return node;
  }

  private flow(id: string): GraphFlow {
    const flow = this.s.graph.flows[id];
    if (!flow) throw new Error(`the graph has no flow "${id}"`);
    return flow;
  }

  private newId(prefix: string): string {
    return `${prefix}-${this.s.nextId++}`;
  }

  private emit(command: EngineCommand): void {
    this.commands.push(command);
  }

  private record(kind: TraceEntry['kind'], elementId: string, detail: string | undefined, instanceId: string): void {
    const entry: TraceEntry = detail === undefined ? { at: this.now, kind, elementId } : { at: this.now, kind, elementId, detail };
    entry.instanceId = instanceId;
    if (this.actor?.instanceId === instanceId && kind === 'completed') entry.by = this.actor.by;
    this.trace.push(entry);
  }
}
