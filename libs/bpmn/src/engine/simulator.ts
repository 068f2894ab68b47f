import type { CalendarData } from '@xuncha/calendar';
import type { ProcessGraph } from '../definition/graph';
import { createInstanceState, step } from './step';
import { addDuration, DEFAULT_TIME_ZONE, formatDateTime, parseDateTime, parseDuration } from './time';
import type { EngineCommand, EngineEvent, EngineState, TraceEntry } from './types';

/** One step of a scenario script. Element ids name the open job, user task or incident to act on (in any instance). */
export type ScriptStep =
  | { complete: string; variables?: Record<string, unknown>; by?: string }
  /**
   * Publishes a message, as Camunda 8 does: it reaches at most one instance per process (the one
   * with the oldest matching subscription); with a `timeToLive` (ISO duration) it also waits for
   * subscriptions opened later, reaching each process at most once.
   */
  | { message: string; correlationKey?: string; variables?: Record<string, unknown>; timeToLive?: string; expectCorrelated?: number }
  | { advance: string }
  | { fail: string; reason?: string }
  | { throw: string; code: string; reason?: string }
  | { retry: string }
  /** Sets variables (as an operator fixing an incident's cause): on the process, or `local`ly on the active element `at`. */
  | { set: Record<string, unknown>; at?: string; local?: boolean }
  | { cancel: true };

/** A scenario: when the instance starts, with what, and what happens to it. */
export interface Scenario {
  /** Start time, ISO with offset; default 2026-01-01T09:00:00+08:00. */
  start?: string;
  /** The engine's time zone for the instance (IANA); default Asia/Shanghai. */
  timeZone?: string;
  variables?: Record<string, unknown>;
  businessKey?: string;
  /**
   * Virtual milliseconds per real millisecond when the case runs on a real Temporal server
   * (the simulator ignores it); the default makes six months pass in under a second.
   */
  timeScale?: number;
  steps: ScriptStep[];
}

/** What a simulation produced. */
export interface SimulationResult {
  state: EngineState;
  trace: TraceEntry[];
  /** The trace as "kind elementId" lines; elements of child instances read "childProcessId/elementId". */
  lines: string[];
  /** The trace as "YYYY-MM-DDTHH:mm kind elementId" lines (UTC+08:00). */
  timeline: string[];
  commands: EngineCommand[];
  openUserTasks: Array<Extract<EngineCommand, { type: 'openUserTask' }>>;
  /** The states of the child instances call activities started, in start order. */
  children: EngineState[];
}

/** The default start of a scenario. */
export const DEFAULT_SCENARIO_START = '2026-01-01T09:00:00+08:00';

/** One trace entry as a line, e.g. "entered Task_review" or "incident Gateway_1". */
export function traceLine(entry: TraceEntry): string {
  return `${entry.kind} ${entry.elementId}`;
}

/** A published message waiting, until it expires, for subscriptions opened later. */
interface BufferedMessage {
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  expiresAt: number;
  /** Process ids it has reached. */
  reached: Set<string>;
}

interface SimInstance {
  state: EngineState;
  /** Child instances: the parent and the call activity instance waiting for this child. */
  parent?: { key: string; childId: string };
}

/**
 * Runs the pure engine on a virtual clock, doing what the Temporal shell does with its
 * commands: timers fire when the clock passes them, jobs and user tasks wait for the script,
 * and call activities start child instances of the processes it was given. Six months pass in
 * microseconds, so deadline behaviour is tested directly.
 */
/**
 * Freezes a value and everything in it (what is frozen already is taken as frozen through).
 * The simulator freezes every state it keeps: a step that changed a state it was given, rather
 * than copying what it changes, fails at once with a TypeError instead of corrupting a replay.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  return value;
}

export class Simulator {
  now: number;
  readonly trace: TraceEntry[] = [];
  readonly commands: EngineCommand[] = [];
  private readonly instances = new Map<string, SimInstance>();
  /** Open work in creation order: key → [instance key, engine id, element id]. */
  private readonly jobs = new Map<string, [string, string, string]>();
  private readonly userTasks = new Map<string, [string, Extract<EngineCommand, { type: 'openUserTask' }>]>();
  private readonly timers = new Map<string, [string, string, number]>();
  private readonly buffer: BufferedMessage[] = [];
  /** Buffered messages subscriptions collected while a step ran, delivered once it is done. */
  private readonly collected: Array<{ key: string; message: BufferedMessage }> = [];
  private depth = 0;

  constructor(
    graph: ProcessGraph,
    start: string = DEFAULT_SCENARIO_START,
    private readonly processes: Record<string, ProcessGraph> = {},
    private readonly calendar: CalendarData | null = null,
    private readonly zone: string = DEFAULT_TIME_ZONE,
  ) {
    this.now = parseDateTime(start, zone);
    this.instances.set('root', { state: deepFreeze(createInstanceState(graph, this.now, calendar, { zone })) });
  }

  /** The state of the instance under test (children have their own). */
  get state(): EngineState {
    return this.instances.get('root')!.state;
  }

  set state(state: EngineState) {
    this.instances.get('root')!.state = deepFreeze(state);
  }

  start(variables: Record<string, unknown> = {}, businessKey: string | null = null): void {
    this.dispatch('root', { type: 'start', variables, businessKey });
  }

  /** Applies one script step; throws when the script names something that is not open. */
  apply(action: ScriptStep): number {
    if ('complete' in action) {
      const job = [...this.jobs.values()].find(([, , elementId]) => elementId === action.complete);
      if (job) return this.dispatch(job[0], { type: 'jobCompleted', jobId: job[1], variables: action.variables ?? {} });
      const task = [...this.userTasks.values()].find(([, command]) => command.elementId === action.complete);
      if (task) return this.dispatch(task[0], { type: 'userTaskCompleted', taskId: task[1].taskId, variables: action.variables ?? {}, completedBy: action.by });
      throw new Error(`no open job or user task at "${action.complete}"`);
    }
    if ('message' in action) {
      const correlated = this.publish(action);
      if (action.expectCorrelated !== undefined && correlated !== action.expectCorrelated) {
        throw new Error(`message "${action.message}" reached ${correlated} subscription(s), expected ${action.expectCorrelated}`);
      }
      return correlated;
    }
    if ('advance' in action) {
      this.advanceTo(addDuration(this.now, parseDuration(action.advance), this.zone));
      return 0;
    }
    if ('fail' in action || 'throw' in action) {
      const elementId = 'fail' in action ? action.fail : action.throw;
      const job = [...this.jobs.values()].find(([, , element]) => element === elementId);
      if (!job) throw new Error(`no open job at "${elementId}"`);
      const event: EngineEvent =
        'fail' in action
          ? { type: 'jobFailed', jobId: job[1], message: action.reason ?? 'the handler failed' }
          : { type: 'jobError', jobId: job[1], errorCode: action.code, message: action.reason };
      return this.dispatch(job[0], event);
    }
    if ('retry' in action) {
      for (const [key, instance] of this.instances) {
        const incident = Object.values(instance.state.incidents).find((i) => i.elementId === action.retry);
        if (incident) return this.dispatch(key, { type: 'retryIncident', incidentId: incident.id });
      }
      throw new Error(`no open incident at "${action.retry}"`);
    }
    if ('set' in action) {
      if (action.at === undefined) return this.dispatch('root', { type: 'setVariables', variables: action.set, local: action.local });
      for (const [key, instance] of this.instances) {
        const scope = Object.values(instance.state.elements).find((element) => element.elementId === action.at);
        if (scope) return this.dispatch(key, { type: 'setVariables', variables: action.set, scopeId: scope.id, local: action.local });
      }
      throw new Error(`no active element "${action.at}" to set variables on`);
    }
    return this.dispatch('root', { type: 'cancel' });
  }

  /** Moves the clock to `target`, firing every timer due on the way in due order. */
  advanceTo(target: number): void {
    for (;;) {
      const next = [...this.timers].filter(([, [, , dueAt]]) => dueAt <= target).sort((a, b) => a[1][2] - b[1][2])[0];
      if (!next) break;
      const [key, [instanceKey, timerId, dueAt]] = next;
      this.now = Math.max(this.now, dueAt);
      this.timers.delete(key);
      if (this.instances.get(instanceKey)?.state.status === 'active') this.dispatch(instanceKey, { type: 'timerFired', timerId });
    }
    this.now = Math.max(this.now, target);
  }

  result(): SimulationResult {
    return {
      state: this.state,
      trace: this.trace,
      lines: this.trace.map(traceLine),
      timeline: this.trace.map((entry) => `${formatDateTime(entry.at).slice(0, 16)} ${traceLine(entry)}`),
      commands: this.commands,
      openUserTasks: [...this.userTasks.values()].map(([, command]) => command),
      children: [...this.instances].filter(([key]) => key !== 'root').map(([, instance]) => instance.state),
    };
  }

  /** Delivers to the oldest matching subscription of each process; buffers the message if it has a time-to-live. */
  private publish(action: Extract<ScriptStep, { message: string }>): number {
    const correlationKey = action.correlationKey ?? '';
    const variables = action.variables ?? {};
    const event: EngineEvent = { type: 'messageReceived', name: action.message, correlationKey, variables };
    const subscribers = [...this.instances]
      .filter(([, instance]) => instance.state.status === 'active')
      .flatMap(([key, instance]) =>
        Object.values(instance.state.subscriptions)
          .filter((sub) => sub.messageName === action.message && sub.correlationKey === correlationKey)
          .map((sub) => ({ key, processId: instance.state.graph.processId, since: sub.createdAt })),
      )
      .sort((a, b) => a.since - b.since);
    const reached = new Set<string>();
    let correlated = 0;
    for (const { key, processId } of subscribers) {
      if (reached.has(processId)) continue;
      const taken = this.dispatch(key, event);
      if (taken > 0) reached.add(processId);
      correlated += taken;
    }
    const ttl = action.timeToLive ? addDuration(this.now, parseDuration(action.timeToLive), this.zone) : this.now;
    if (ttl > this.now) this.buffer.push({ name: action.message, correlationKey, variables, expiresAt: ttl, reached });
    return correlated;
  }

  /** A subscription just opened: it collects the oldest buffered message for it that has not reached its process. */
  private collect(key: string, command: Extract<EngineCommand, { type: 'openSubscription' }>): void {
    const processId = this.instances.get(key)!.state.graph.processId;
    const message = this.buffer.find(
      (m) => m.name === command.messageName && m.correlationKey === command.correlationKey && m.expiresAt > this.now && !m.reached.has(processId),
    );
    if (!message) return;
    message.reached.add(processId);
    this.collected.push({ key, message });
  }

  private dispatch(key: string, event: EngineEvent): number {
    this.depth++;
    try {
      return this.dispatchNow(key, event);
    } finally {
      this.depth--;
      if (this.depth === 0) this.deliverCollected();
    }
  }

  private deliverCollected(): void {
    while (this.collected.length > 0) {
      const { key, message } = this.collected.shift()!;
      const instance = this.instances.get(key)!;
      const event: EngineEvent = { type: 'messageReceived', name: message.name, correlationKey: message.correlationKey, variables: message.variables };
      const taken = instance.state.status === 'active' ? this.dispatch(key, event) : 0;
      if (taken === 0) message.reached.delete(instance.state.graph.processId);
    }
  }

  private dispatchNow(key: string, event: EngineEvent): number {
    const instance = this.instances.get(key)!;
    const result = step(instance.state, event, this.now);
    instance.state = deepFreeze(result.state);
    const prefix = key === 'root' ? '' : `${result.state.graph.processId}/`;
    this.trace.push(...result.trace.map((entry) => (prefix ? { ...entry, elementId: prefix + entry.elementId } : entry)));
    if (key === 'root') this.commands.push(...result.commands);
    if (event.type === 'jobCompleted' || event.type === 'jobError' || event.type === 'jobFailed') this.jobs.delete(`${key}:${event.jobId}`);
    for (const command of result.commands) this.execute(key, command);
    return result.correlated;
  }

  private execute(key: string, command: EngineCommand): void {
    switch (command.type) {
      case 'openSubscription':
        this.collect(key, command);
        return;
      case 'runJob':
        this.jobs.set(`${key}:${command.jobId}`, [key, command.jobId, command.elementId]);
        return;
      case 'cancelJob':
        this.jobs.delete(`${key}:${command.jobId}`);
        return;
      case 'openUserTask':
        this.userTasks.set(`${key}:${command.taskId}`, [key, command]);
        return;
      case 'closeUserTask':
        this.userTasks.delete(`${key}:${command.taskId}`);
        return;
      case 'startTimer':
        this.timers.set(`${key}:${command.timerId}`, [key, command.timerId, command.dueAt]);
        return;
      case 'cancelTimer':
        this.timers.delete(`${key}:${command.timerId}`);
        return;
      case 'startChild': {
        const graph = this.processes[command.processId];
        if (!graph) {
          this.dispatch(key, { type: 'childFailed', childId: command.childId, message: `no process "${command.processId}" is deployed` });
          return;
        }
        const childKey = `${key}>${command.childId}`;
        this.instances.set(childKey, {
          state: deepFreeze(createInstanceState(graph, this.now, this.calendar, { zone: this.zone, parentCatches: command.errorCatches })),
          parent: { key, childId: command.childId },
        });
        this.dispatch(childKey, { type: 'start', variables: command.variables });
        return;
      }
      case 'cancelChild': {
        const childKey = `${key}>${command.childId}`;
        if (this.instances.get(childKey)?.state.status === 'active') this.dispatch(childKey, { type: 'cancel' });
        return;
      }
      case 'errorToCaller': {
        const parent = this.instances.get(key)?.parent;
        if (parent && this.instances.get(parent.key)?.state.status === 'active') {
          this.dispatch(parent.key, { type: 'childError', childId: parent.childId, errorCode: command.errorCode, message: command.message });
        }
        return;
      }
      case 'completeInstance': {
        const parent = this.instances.get(key)?.parent;
        if (parent && this.instances.get(parent.key)?.state.status === 'active') {
          this.dispatch(parent.key, { type: 'childCompleted', childId: parent.childId, variables: command.variables });
        }
        return;
      }
      default:
        return;
    }
  }
}

/**
 * Runs a whole scenario and returns what happened; `processes` are the graphs call activities
 * may start, `calendar` the working-day calendar of every instance.
 */
export function simulate(
  graph: ProcessGraph,
  scenario: Scenario,
  processes: Record<string, ProcessGraph> = {},
  calendar: CalendarData | null = null,
): SimulationResult {
  const simulator = new Simulator(graph, scenario.start, processes, calendar, scenario.timeZone);
  simulator.start(scenario.variables ?? {}, scenario.businessKey ?? null);
  for (const action of scenario.steps) simulator.apply(action);
  return simulator.result();
}
