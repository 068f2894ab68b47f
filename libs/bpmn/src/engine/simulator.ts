import type { ProcessGraph } from '../definition/graph';
import { createInstanceState, step } from './step';
import { addDuration, formatDateTime, parseDateTime, parseDuration } from './time';
import type { EngineCommand, EngineEvent, EngineState, TraceEntry } from './types';

/** One step of a scenario script. Element ids name the open job, user task, incident or subscription to act on. */
export type ScriptStep =
  | { complete: string; variables?: Record<string, unknown>; by?: string }
  | { message: string; correlationKey?: string; variables?: Record<string, unknown>; expectCorrelated?: number }
  | { advance: string }
  | { fail: string; reason?: string }
  | { throw: string; code: string; reason?: string }
  | { retry: string }
  | { cancel: true };

/** A scenario: when the instance starts, with what, and what happens to it. */
export interface Scenario {
  /** Start time, ISO with offset; default 2026-01-01T09:00:00+08:00. */
  start?: string;
  variables?: Record<string, unknown>;
  businessKey?: string;
  steps: ScriptStep[];
}

/** What a simulation produced. */
export interface SimulationResult {
  state: EngineState;
  trace: TraceEntry[];
  /** The trace as "kind elementId" lines. */
  lines: string[];
  /** The trace as "YYYY-MM-DDTHH:mm kind elementId" lines (UTC+08:00). */
  timeline: string[];
  commands: EngineCommand[];
  /** Open user tasks by element id, with what the engine said about them. */
  openUserTasks: Array<Extract<EngineCommand, { type: 'openUserTask' }>>;
}

/** The default start of a scenario. */
export const DEFAULT_SCENARIO_START = '2026-01-01T09:00:00+08:00';

/** One trace entry as a line, e.g. "entered Task_review" or "incident Gateway_1". */
export function traceLine(entry: TraceEntry): string {
  return `${entry.kind} ${entry.elementId}`;
}

/**
 * Runs the pure engine on a virtual clock, doing what a Temporal worker would do with its
 * commands: timers fire when the clock is advanced past them; jobs and user tasks wait for the
 * script. Six months pass in microseconds, so deadline behaviour is tested directly.
 */
export class Simulator {
  now: number;
  state: EngineState;
  readonly trace: TraceEntry[] = [];
  readonly commands: EngineCommand[] = [];
  private readonly jobs = new Map<string, string>();
  private readonly userTasks = new Map<string, Extract<EngineCommand, { type: 'openUserTask' }>>();
  private readonly timers = new Map<string, number>();

  constructor(graph: ProcessGraph, start: string = DEFAULT_SCENARIO_START) {
    this.now = parseDateTime(start);
    this.state = createInstanceState(graph, this.now);
  }

  start(variables: Record<string, unknown> = {}, businessKey: string | null = null): void {
    this.dispatch({ type: 'start', variables, businessKey });
  }

  /** Applies one script step; throws when the script names something that is not open. */
  apply(action: ScriptStep): number {
    if ('complete' in action) {
      const jobId = this.find(this.jobs, action.complete);
      if (jobId) return this.dispatch({ type: 'jobCompleted', jobId, variables: action.variables ?? {} });
      const taskId = this.find(new Map([...this.userTasks].map(([id, task]) => [id, task.elementId])), action.complete);
      if (taskId) return this.dispatch({ type: 'userTaskCompleted', taskId, variables: action.variables ?? {}, completedBy: action.by });
      throw new Error(`no open job or user task at "${action.complete}"`);
    }
    if ('message' in action) {
      const correlated = this.dispatch({ type: 'messageReceived', name: action.message, correlationKey: action.correlationKey ?? '', variables: action.variables ?? {} });
      if (action.expectCorrelated !== undefined && correlated !== action.expectCorrelated) {
        throw new Error(`message "${action.message}" reached ${correlated} subscription(s), expected ${action.expectCorrelated}`);
      }
      return correlated;
    }
    if ('advance' in action) {
      this.advanceTo(addDuration(this.now, parseDuration(action.advance)));
      return 0;
    }
    if ('fail' in action) {
      const jobId = this.find(this.jobs, action.fail);
      if (!jobId) throw new Error(`no open job at "${action.fail}"`);
      return this.dispatch({ type: 'jobFailed', jobId, message: action.reason ?? 'the handler failed' });
    }
    if ('throw' in action) {
      const jobId = this.find(this.jobs, action.throw);
      if (!jobId) throw new Error(`no open job at "${action.throw}"`);
      return this.dispatch({ type: 'jobError', jobId, errorCode: action.code, message: action.reason });
    }
    if ('retry' in action) {
      const incident = Object.values(this.state.incidents).find((i) => i.elementId === action.retry);
      if (!incident) throw new Error(`no open incident at "${action.retry}"`);
      return this.dispatch({ type: 'retryIncident', incidentId: incident.id });
    }
    return this.dispatch({ type: 'cancel' });
  }

  /** Moves the clock to `target`, firing every timer due on the way in due order. */
  advanceTo(target: number): void {
    for (;;) {
      const next = [...this.timers].filter(([, dueAt]) => dueAt <= target).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0];
      if (!next || this.state.status !== 'active') break;
      this.now = Math.max(this.now, next[1]);
      this.timers.delete(next[0]);
      this.dispatch({ type: 'timerFired', timerId: next[0] });
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
      openUserTasks: [...this.userTasks.values()],
    };
  }

  private dispatch(event: EngineEvent): number {
    const result = step(this.state, event, this.now);
    this.state = result.state;
    this.trace.push(...result.trace);
    this.commands.push(...result.commands);
    for (const command of result.commands) {
      switch (command.type) {
        case 'runJob':
          this.jobs.set(command.jobId, command.elementId);
          break;
        case 'cancelJob':
          this.jobs.delete(command.jobId);
          break;
        case 'openUserTask':
          this.userTasks.set(command.taskId, command);
          break;
        case 'closeUserTask':
          this.userTasks.delete(command.taskId);
          break;
        case 'startTimer':
          this.timers.set(command.timerId, command.dueAt);
          break;
        case 'cancelTimer':
          this.timers.delete(command.timerId);
          break;
        default:
          break;
      }
    }
    if (event.type === 'jobCompleted' || event.type === 'jobError') this.jobs.delete(event.jobId);
    if (event.type === 'jobFailed') this.jobs.delete(event.jobId);
    return result.correlated;
  }

  /** The oldest open id whose element is `elementId`. */
  private find(open: Map<string, string>, elementId: string): string | undefined {
    return [...open].filter(([, element]) => element === elementId).sort((a, b) => sequence(a[0]) - sequence(b[0]))[0]?.[0];
  }
}

function sequence(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}

/** Runs a whole scenario and returns what happened. */
export function simulate(graph: ProcessGraph, scenario: Scenario): SimulationResult {
  const simulator = new Simulator(graph, scenario.start);
  simulator.start(scenario.variables ?? {}, scenario.businessKey ?? null);
  for (const action of scenario.steps) simulator.apply(action);
  return simulator.result();
}
