import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CalendarSpec, Client, ScheduleHandle } from '@temporalio/client';
import { MONTHS, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { GraphNode, TimerStartPlan } from '@xuncha/bpmn-engine';
import { ExpressionError, planTimerStart } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { TimerStartFiring, TimerStartInput } from '@xuncha/contracts';
import { TIMER_START_WORKFLOW_TYPE } from '@xuncha/contracts';
import type { ProcessDefinitionVersion, TimerStart } from '@xuncha/persistence';
import { ProcessDefinitionRepository, TimerStartRepository } from '@xuncha/persistence';
import { CalendarSource } from './calendar-source';
import { stableInstanceId } from './instance-id';
import { InstanceLauncher } from './instance-launcher';
import { TEMPORAL_CLIENT } from './temporal-client.module';
import { withTemporalDeadline } from './temporal-deadline';

/** How many coming firings a schedule holds; each firing tops them up again. */
const FIRINGS_AHEAD = 12;

/** A firing due within this long when its schedule is created is set off at once (ms). */
const IMMINENT_MS = 1_000;

/** A timer start event of a graph. */
export interface TimerStartEvent {
  node: GraphNode;
  startEventId: string;
}

/** How a timer start event's schedule stands, for GET /definitions/:key. */
export interface TimerStartStatus {
  startEventId: string;
  name: string | null;
  timer: { kind: 'date' | 'duration' | 'cycle'; value: string };
  scheduleId: string;
  definitionVersion: number;
  fired: number;
  lastFiredAt: Date | null;
  /** Null once no firing is left. */
  nextFirings: Date[];
}

/** The timer start events among a graph's top-level start events. */
export function timerStartEvents(version: ProcessDefinitionVersion): TimerStartEvent[] {
  return version.graph.children.flatMap((id) => {
    const node = version.graph.nodes[id];
    return node?.type === 'startEvent' && node.trigger?.kind === 'timer' ? [{ node, startEventId: id }] : [];
  });
}

/** A firing's time in a schedule: one exact second (UTC). */
function calendarOf(epoch: number): CalendarSpec {
  const at = new Date(epoch);
  return {
    year: at.getUTCFullYear(),
    month: MONTHS[at.getUTCMonth()]!,
    dayOfMonth: at.getUTCDate(),
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    second: at.getUTCSeconds(),
    comment: 'timer start firing',
  };
}

/** The scheduled time a scheduled workflow's id ends with (Temporal appends it), if it does. */
function scheduledTime(workflowId: string): number | null {
  const match = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/.exec(workflowId);
  return match ? Date.parse(match[1]!) : null;
}

/**
 * Timer start events as Camunda 8 runs them, on Temporal Schedules: each timer start event of a
 * process key's latest version has a schedule that starts an instance at that event when it
 * fires. Deploying a new version replaces the previous version's schedules; a version without
 * timer starts removes them. The schedules live in Temporal (they survive restarts), hold the
 * next firings computed by the engine's own rules, and are topped up at each firing.
 */
@Injectable()
export class TimerStarts {
  private readonly logger = new Logger(TimerStarts.name);
  /** The sync under way per key: syncs of a key run one after another. */
  private readonly syncing = new Map<string, Promise<void>>();

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly rows: TimerStartRepository,
    private readonly calendar: CalendarSource,
    private readonly launcher: InstanceLauncher,
  ) {}

  /**
   * The id of a timer start event's schedule. Schedule ids are unique in a Temporal namespace,
   * which installations (and their task queues) may share: the task queue is part of the id.
   * Schedules made before it was are found by the id their rows keep.
   */
  scheduleId(definitionKey: string, version: number, startEventId: string): string {
    return `timer-start:${this.config.temporal.taskQueue}:${definitionKey}:v${version}:${startEventId}`;
  }

  /**
   * Plans every timer start event of a version as of `anchor` (its deployment): what a
   * deployment checks before it stores anything, since an invalid timer start is refused.
   */
  async plan(version: Pick<ProcessDefinitionVersion, 'graph'>, anchor: Date): Promise<Map<string, TimerStartPlan>> {
    const calendar = await this.calendar.snapshotFor(anchor);
    const plans = new Map<string, TimerStartPlan>();
    for (const { node, startEventId } of timerStartEvents(version as ProcessDefinitionVersion)) {
      if (node.trigger?.kind !== 'timer') continue;
      plans.set(startEventId, planTimerStart(node.trigger.timer, { anchor: anchor.getTime(), zone: this.config.engine.timeZone, calendar }));
    }
    return plans;
  }

  /** What is wrong with a graph's timer start events as of `anchor`, per event: what refuses its deployment. */
  async problems(graph: ProcessDefinitionVersion['graph'], anchor: Date): Promise<Array<{ startEventId: string; name: string | null; message: string }>> {
    const calendar = await this.calendar.snapshotFor(anchor);
    const problems = [];
    for (const { node, startEventId } of timerStartEvents({ graph } as ProcessDefinitionVersion)) {
      if (node.trigger?.kind !== 'timer') continue;
      try {
        planTimerStart(node.trigger.timer, { anchor: anchor.getTime(), zone: this.config.engine.timeZone, calendar });
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push({ startEventId, name: node.name, message: error.message });
      }
    }
    return problems;
  }

  /**
   * Makes the schedules of a key match its latest version: schedules of older versions or of
   * start events it no longer has go, its own timer starts get one each (anchored at their
   * deployment, `now`), and one of this version that Temporal lost is made again. Runs one
   * at a time per key, and does nothing for a version that is no longer the latest.
   */
  sync(version: ProcessDefinitionVersion, now: Date = new Date()): Promise<void> {
    const previous = this.syncing.get(version.key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.syncNow(version, now));
    this.syncing.set(version.key, run);
    return run;
  }

  private async syncNow(version: ProcessDefinitionVersion, now: Date): Promise<void> {
    const latest = await this.definitions.latest(version.key);
    if (latest && latest.version > version.version) return;
    const wanted = new Set(timerStartEvents(version).map((event) => event.startEventId));
    for (const row of await this.rows.of(version.key)) {
      if (row.definitionVersion === version.version && wanted.has(row.startEventId)) continue;
      await this.deleteSchedule(row.scheduleId);
      await this.rows.remove(row.definitionKey, row.startEventId);
    }
    const existing = new Map((await this.rows.of(version.key)).map((row) => [row.startEventId, row]));
    // Schedules fire on whole seconds: so does the anchor, and so every firing counted from it.
    const anchor = new Date(Math.ceil(now.getTime() / 1000) * 1000);
    const plans = await this.plan(version, anchor);
    for (const [startEventId, plan] of plans) {
      const row = existing.get(startEventId);
      const input = { definitionKey: version.key, definitionVersion: version.version, startEventId };
      if (row) {
        if (!row.finishedAt && !(await this.scheduleExists(row.scheduleId))) await this.remake(row);
        continue;
      }
      const scheduleId = this.scheduleId(version.key, version.version, startEventId);
      // A schedule left by a failed earlier attempt is replaced, not duplicated; the row follows
      // the schedule, so a failure here leaves nothing that claims a schedule exists.
      await this.deleteSchedule(scheduleId);
      const firings = plan.firings(anchor.getTime() - 1, FIRINGS_AHEAD);
      if (firings.length > 0) await this.createSchedule(scheduleId, input, firings);
      await this.rows.save({ ...input, scheduleId, anchor });
      if (firings.length === 0) await this.rows.finish(version.key, startEventId, version.version);
    }
  }

  /**
   * At start: every key's latest version has its schedules, and a schedule Temporal lost (a
   * dev server without persistence) is made again, firing at once for what it missed.
   */
  async reconcile(): Promise<void> {
    for (const latest of await this.definitions.latestOfEachKey()) {
      const version = await this.definitions.findVersion(latest.key, latest.version);
      if (version) await this.sync(version);
    }
  }

  /** Makes a lost schedule again from where its row says it stands. */
  private async remake(row: TimerStart): Promise<void> {
    const version = await this.definitions.findVersion(row.definitionKey, row.definitionVersion);
    const plan = version ? (await this.plan(version, row.anchor)).get(row.startEventId) : undefined;
    const resume = row.lastFiredAt ? { lastDue: row.lastFiredAt.getTime(), fired: row.fired } : undefined;
    const firings = plan?.firings(row.lastFiredAt?.getTime() ?? row.anchor.getTime() - 1, FIRINGS_AHEAD, resume) ?? [];
    if (firings.length === 0) await this.rows.finish(row.definitionKey, row.startEventId, row.definitionVersion);
    else await this.createSchedule(row.scheduleId, { definitionKey: row.definitionKey, definitionVersion: row.definitionVersion, startEventId: row.startEventId }, firings);
  }

  /** How the timer starts of a key stand: their schedules and next firings as Temporal will fire them. */
  async status(version: ProcessDefinitionVersion): Promise<TimerStartStatus[]> {
    const rows = new Map((await this.rows.of(version.key)).map((row) => [row.startEventId, row]));
    const statuses: TimerStartStatus[] = [];
    for (const { node, startEventId } of timerStartEvents(version)) {
      const row = rows.get(startEventId);
      if (node.trigger?.kind !== 'timer' || !row || row.definitionVersion !== version.version) continue;
      statuses.push({
        startEventId,
        name: node.name,
        timer: { kind: node.trigger.timer.kind, value: node.trigger.timer.value },
        scheduleId: row.scheduleId,
        definitionVersion: row.definitionVersion,
        fired: row.fired,
        lastFiredAt: row.lastFiredAt,
        nextFirings: row.finishedAt ? [] : await this.nextActionTimes(row),
      });
    }
    return statuses;
  }

  /**
   * A firing: starts its instance (once, whatever retries) at the timer start event, counts it,
   * and tops the schedule up with the firings after it. A firing of a version that is no longer
   * the one scheduled (a new version was deployed meanwhile) starts nothing.
   */
  async fire(firing: TimerStartFiring): Promise<string | null> {
    const row = await this.rows.find(firing.definitionKey, firing.startEventId);
    if (!row || row.definitionVersion !== firing.definitionVersion) return null;
    // Only the row's own schedule starts instances: not one left under another id.
    if (firing.scheduleWorkflowId !== row.scheduleId && !firing.scheduleWorkflowId.startsWith(`${row.scheduleId}-`)) return null;
    const version = await this.definitions.findVersion(firing.definitionKey, firing.definitionVersion);
    if (!version) return null;
    const firedAt = scheduledTime(firing.scheduleWorkflowId) ?? firing.startedAt;
    const id = stableInstanceId(firing.definitionKey, `timer-start:${firing.scheduleWorkflowId}`);
    await this.launcher.launch({ id, definition: version, variables: {}, businessKey: null, startEventId: firing.startEventId });
    await this.rows.fired(firing.definitionKey, firing.startEventId, firing.definitionVersion, new Date(firedAt));
    const counted = (await this.rows.find(firing.definitionKey, firing.startEventId)) ?? row;
    const plan = (await this.plan(version, row.anchor)).get(firing.startEventId);
    const next = plan?.firings(firedAt, FIRINGS_AHEAD, { lastDue: firedAt, fired: counted.fired }) ?? [];
    if (next.length === 0) {
      await this.deleteSchedule(row.scheduleId);
      await this.rows.finish(firing.definitionKey, firing.startEventId, firing.definitionVersion);
    } else {
      await this.handle(row.scheduleId).update((previous) => ({ ...previous, spec: { calendars: next.map(calendarOf) } }));
    }
    return id;
  }

  private handle(scheduleId: string): ScheduleHandle {
    return this.client.schedule.getHandle(scheduleId);
  }

  /**
   * Creates a schedule for `firings`. A schedule fires no time from before it exists: a firing
   * that is due already (a date that has passed, firings missed while a schedule was lost) or
   * within moments is set off at once instead, once.
   */
  private async createSchedule(scheduleId: string, input: TimerStartInput, firings: number[]): Promise<void> {
    const soon = Date.now() + IMMINENT_MS;
    const due = firings.filter((at) => at <= soon);
    const later = firings.filter((at) => at > soon);
    await withTemporalDeadline(this.client, () =>
      this.client.schedule.create({
        scheduleId,
        spec: { calendars: later.map(calendarOf) },
        action: {
          type: 'startWorkflow',
          workflowType: TIMER_START_WORKFLOW_TYPE,
          workflowId: scheduleId,
          taskQueue: this.config.temporal.taskQueue,
          args: [input],
        },
        // Every firing starts its instance, even while an earlier one is still being started.
        policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '365 days' },
      }),
    );
    if (due.length > 0) await withTemporalDeadline(this.client, () => this.handle(scheduleId).trigger(ScheduleOverlapPolicy.ALLOW_ALL));
    this.logger.log(`Timer start ${input.definitionKey}/${input.startEventId} (v${input.definitionVersion}) scheduled, next at ${new Date(firings[0]!).toISOString()}`);
  }

  private async deleteSchedule(scheduleId: string): Promise<void> {
    try {
      await withTemporalDeadline(this.client, () => this.handle(scheduleId).delete());
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }

  private async scheduleExists(scheduleId: string): Promise<boolean> {
    try {
      await withTemporalDeadline(this.client, () => this.handle(scheduleId).describe());
      return true;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return false;
      throw error;
    }
  }

  private async nextActionTimes(row: TimerStart): Promise<Date[]> {
    try {
      const description = await withTemporalDeadline(this.client, () => this.handle(row.scheduleId).describe());
      return description.info.nextActionTimes;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return [];
      throw error;
    }
  }
}
