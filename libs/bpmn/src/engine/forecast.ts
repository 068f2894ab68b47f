// What an instance will ask of people next: the pure engine run forward on a virtual clock from
// the instance's current state, assuming every open task is done on its due date and every job
// succeeds at once. Nothing here touches the real instance.
import { InvalidEventError, step } from './step';
import { parseDateTime } from './time';
import type { EngineCommand, EngineEvent, EngineState } from './types';

/** A deadline the instance has or will have. */
export interface ForecastItem {
  /** Epoch ms. */
  at: number;
  kind: 'task-due' | 'timer';
  elementId: string;
  name: string | null;
  /** False for deadlines that exist now, true for predicted ones. */
  predicted: boolean;
}

/** The forecast and why it ends where it does. */
export interface Forecast {
  items: ForecastItem[];
  /** Null when it ran to the horizon; otherwise what stopped it (instance completed, a task without due date, an incident …). */
  stoppedBecause: string | null;
}

/** An open task as the shell knows it. */
export interface ForecastTask {
  taskId: string;
  elementId: string;
  name: string | null;
  /** ISO date-time, or null. */
  dueDate: string | null;
}

/** Forecast options: how far to look and how many events to simulate at most. */
export interface ForecastOptions {
  horizon: number;
  maxEvents?: number;
}

export function forecast(start: EngineState, openTasks: ForecastTask[], now: number, options: ForecastOptions): Forecast {
  const maxEvents = options.maxEvents ?? 500;
  const names = (elementId: string): string | null => start.graph.nodes[elementId]?.name ?? null;
  const tasks = new Map<string, { elementId: string; dueAt: number | null }>();
  const timers = new Map<string, { elementId: string; dueAt: number }>();
  const items: ForecastItem[] = [];
  for (const task of openTasks) {
    const dueAt = task.dueDate ? parseDateTime(task.dueDate) : null;
    tasks.set(task.taskId, { elementId: task.elementId, dueAt });
    if (dueAt !== null) items.push({ at: dueAt, kind: 'task-due', elementId: task.elementId, name: task.name ?? names(task.elementId), predicted: false });
  }
  for (const timer of Object.values(start.timers)) {
    timers.set(timer.id, { elementId: timer.elementId, dueAt: timer.dueAt });
    items.push({ at: timer.dueAt, kind: 'timer', elementId: timer.elementId, name: names(timer.elementId), predicted: false });
  }

  let state = start;
  let clock = now;
  let stoppedBecause: string | null = null;
  const take = (commands: EngineCommand[]): void => {
    for (const command of commands) {
      if (command.type === 'openUserTask') {
        const dueAt = command.dueDate ? parseDateTime(command.dueDate) : null;
        tasks.set(command.taskId, { elementId: command.elementId, dueAt });
        if (dueAt !== null) items.push({ at: dueAt, kind: 'task-due', elementId: command.elementId, name: command.name, predicted: true });
      } else if (command.type === 'closeUserTask') tasks.delete(command.taskId);
      else if (command.type === 'startTimer') {
        timers.set(command.timerId, { elementId: command.elementId, dueAt: command.dueAt });
        items.push({ at: command.dueAt, kind: 'timer', elementId: command.elementId, name: names(command.elementId), predicted: true });
      } else if (command.type === 'cancelTimer') timers.delete(command.timerId);
    }
  };
  const apply = (event: EngineEvent): boolean => {
    try {
      const result = step(state, event, clock);
      state = result.state;
      take(result.commands);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      return false;
    }
    const incident = Object.values(state.incidents)[0];
    if (incident) {
      stoppedBecause = `an incident at ${incident.elementId}: ${incident.message}`;
      return false;
    }
    return true;
  };

  for (let events = 0; state.status === 'active'; events++) {
    if (events >= maxEvents) {
      stoppedBecause = `more than ${maxEvents} events before the horizon`;
      break;
    }
    const job = Object.values(state.elements).find((element) => element.wait === 'job');
    if (job) {
      if (!apply({ type: 'jobCompleted', jobId: job.id })) break;
      continue;
    }
    let next: { at: number; event: EngineEvent } | undefined;
    for (const [timerId, timer] of timers) if (!next || timer.dueAt < next.at) next = { at: timer.dueAt, event: { type: 'timerFired', timerId } };
    for (const [taskId, task] of tasks) {
      if (task.dueAt !== null && (!next || task.dueAt < next.at)) next = { at: task.dueAt, event: { type: 'userTaskCompleted', taskId, completedBy: 'forecast' } };
    }
    if (!next) {
      const undated = [...tasks.values()][0];
      stoppedBecause = undated
        ? `the task ${undated.elementId} has no due date`
        : Object.values(state.elements).some((e) => e.wait === 'child')
          ? 'a called process runs (its course is not forecast)'
          : 'the instance waits for a message';
      break;
    }
    if (next.at > options.horizon) break;
    clock = Math.max(clock, next.at);
    if (next.event.type === 'timerFired') timers.delete(next.event.timerId);
    if (!apply(next.event)) break;
  }
  if (state.status !== 'active' && stoppedBecause === null) stoppedBecause = `the instance would be ${state.status}`;
  return { items: items.filter((item) => item.at <= options.horizon).sort((a, b) => a.at - b.at), stoppedBecause };
}
