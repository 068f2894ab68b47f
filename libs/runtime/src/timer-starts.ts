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

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly rows: TimerStartRepository,
    private readonly calendar: CalendarSource,
    private readonly launcher: InstanceLauncher,
  ) {}

  /** The id of a timer start event's schedule. */
  scheduleId(definitionKey: string, startEventId: string): string {
    return `timer-start:${definitionKey}:${startEventId}`;
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
   * start events it no longer has go, its own timer starts get one each (anchored at `now`,
   * their deployment). Unchanged when the version already has them.
   */
  async sync(version: ProcessDefinitionVersion, now: Date = new Date()): Promise<void> {
    const wanted = new Set(timerStartEvents(version).map((event) => event.startEventId));
    for (const row of await this.rows.of(version.key)) {
      if (row.definitionVersion === version.version && wanted.has(row.startEventId)) continue;
      await this.deleteSchedule(row.scheduleId);
      await this.rows.remove(row.definitionKey, row.startEventId);
    }
    const existing = new Set((await this.rows.of(version.key)).map((row) => row.startEventId));
    const plans = await this.plan(version, now);
    for (const [startEventId, plan] of plans) {
      if (existing.has(startEventId)) continue;
      const scheduleId = this.scheduleId(version.key, startEventId);
      // A schedule left by a failed earlier attempt is replaced, not duplicated.
      await this.deleteSchedule(scheduleId);
      await this.rows.save({ definitionKey: version.key, startEventId, definitionVersion: version.version, scheduleId, anchor: now });
      const firings = plan.firings(now.getTime(), FIRINGS_AHEAD);
      if (firings.length === 0) {
        await this.rows.finish(version.key, startEventId, version.version);
        continue;
      }
      await this.createSchedule(scheduleId, { definitionKey: version.key, definitionVersion: version.version, startEventId }, firings);
    }
  }

  /**
   * At start: every key's latest version has its schedules, and a schedule Temporal lost (a
   * dev server without persistence) is made again with the firings still to come.
   */
  async reconcile(): Promise<void> {
    for (const latest of await this.definitions.latestOfEachKey()) {
      const version = await this.definitions.findVersion(latest.key, latest.version);
      if (version) await this.sync(version);
    }
    for (const row of await this.rows.active()) {
      if (await this.scheduleExists(row.scheduleId)) continue;
      const version = await this.definitions.findVersion(row.definitionKey, row.definitionVersion);
      const plan = version ? (await this.plan(version, row.anchor)).get(row.startEventId) : undefined;
      const firings = plan?.firings(Math.max(Date.now(), row.lastFiredAt?.getTime() ?? 0), FIRINGS_AHEAD) ?? [];
      if (firings.length === 0) await this.rows.finish(row.definitionKey, row.startEventId, row.definitionVersion);
      else await this.createSchedule(row.scheduleId, { definitionKey: row.definitionKey, definitionVersion: row.definitionVersion, startEventId: row.startEventId }, firings);
    }
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
    const version = await this.definitions.findVersion(firing.definitionKey, firing.definitionVersion);
    if (!version) return null;
    const firedAt = scheduledTime(firing.scheduleWorkflowId) ?? firing.startedAt;
    const id = stableInstanceId(firing.definitionKey, `timer-start:${firing.scheduleWorkflowId}`);
    await this.launcher.launch({ id, definition: version, variables: {}, businessKey: null, startEventId: firing.startEventId });
    await this.rows.fired(firing.definitionKey, firing.startEventId, firing.definitionVersion, new Date(firedAt));
    const plan = (await this.plan(version, row.anchor)).get(firing.startEventId);
    const next = plan?.firings(firedAt, FIRINGS_AHEAD) ?? [];
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

  private async createSchedule(scheduleId: string, input: TimerStartInput, firings: number[]): Promise<void> {
    await withTemporalDeadline(this.client, () =>
      this.client.schedule.create({
        scheduleId,
        spec: { calendars: firings.map(calendarOf) },
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
