import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ProcessGraph } from '@xuncha/bpmn-engine';
import { addDuration, forecast, formatDateTime, parseDuration } from '@xuncha/bpmn-engine';
import type { InstanceSnapshot } from '@xuncha/contracts';
import { instanceSnapshotQuery, NotFoundError } from '@xuncha/contracts';
import { HistoryRepository, ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { TEMPORAL_CLIENT , withTemporalDeadline } from '@xuncha/runtime';

/** One element instance on the timeline. */
export interface ElementTimelineEntry {
  elementInstanceId: string;
  elementId: string;
  name: string | null;
  type: string | null;
  enteredAt: string;
  leftAt: string | null;
  /** completed, terminated (interrupted or cancelled), or null while active. */
  outcome: 'completed' | 'terminated' | null;
  /** Who completed it (user tasks). */
  by: string | null;
  incidents: Array<{ at: string; message: string | null; resolvedAt: string | null }>;
}

/** A deadline of the forecast. */
export interface ForecastEntry {
  dueDate: string;
  kind: 'task-due' | 'timer';
  elementId: string;
  name: string | null;
  predicted: boolean;
}

/** An instance's past (history read model) and likely future (the pure engine on a virtual clock). */
@Injectable()
export class InstanceInsightService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly instances: ProcessInstanceRepository,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly history: HistoryRepository,
  ) {}

  /** The timeline of element instances: entered, left, by whom, with what outcome; and the raw entries. */
  async timeline(id: string) {
    const instance = await this.instances.find(id);
    if (!instance) throw new NotFoundError('process instance', id);
    const graph = await this.graphOf(instance.definitionKey, instance.definitionVersion);
    const entries = await this.history.of(id);
    const elements = new Map<string, ElementTimelineEntry>();
    for (const entry of entries) {
      const key = entry.elementInstanceId;
      if (!key) continue;
      const node = graph?.nodes[entry.elementId];
      if (entry.kind === 'entered') {
        elements.set(key, {
          elementInstanceId: key,
          elementId: entry.elementId,
          name: node?.name ?? graph?.name ?? null,
          type: node?.type ?? (entry.elementId === graph?.processId ? 'process' : null),
          enteredAt: formatDateTime(entry.at.getTime()),
          leftAt: null,
          outcome: null,
          by: null,
          incidents: [],
        });
        continue;
      }
      const element = elements.get(key);
      if (!element) continue;
      if (entry.kind === 'completed' || entry.kind === 'terminated' || entry.kind === 'instance-completed' || entry.kind === 'instance-cancelled') {
        element.leftAt = formatDateTime(entry.at.getTime());
        element.outcome = entry.kind === 'completed' || entry.kind === 'instance-completed' ? 'completed' : 'terminated';
        element.by = entry.by;
      } else if (entry.kind === 'incident') element.incidents.push({ at: formatDateTime(entry.at.getTime()), message: entry.detail, resolvedAt: null });
      else if (entry.kind === 'resolved') {
        const open = element.incidents.find((incident) => incident.resolvedAt === null);
        if (open) open.resolvedAt = formatDateTime(entry.at.getTime());
      }
    }
    return {
      processInstanceId: id,
      state: instance.state,
      elements: [...elements.values()],
      entries: entries.map((entry) => ({
        seq: entry.seq,
        at: formatDateTime(entry.at.getTime()),
        kind: entry.kind,
        elementId: entry.elementId,
        elementInstanceId: entry.elementInstanceId,
        by: entry.by,
        detail: entry.detail,
      })),
    };
  }

  /**
   * The deadlines ahead: the pure engine runs from the instance's current state on a virtual
   * clock, each open task done on its due date, each job succeeding at once, up to `horizon`.
   */
  async forecast(id: string, horizon: string) {
    const instance = await this.instances.find(id);
    if (!instance) throw new NotFoundError('process instance', id);
    let snapshot: InstanceSnapshot | null = null;
    if (instance.state === 'active' || instance.state === 'incident') {
      try {
        snapshot = await withTemporalDeadline(this.client, () => this.client.workflow.getHandle(id).query(instanceSnapshotQuery));
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    if (!snapshot || snapshot.state.status !== 'active') {
      return { processInstanceId: id, from: formatDateTime(Date.now()), until: null, items: [] as ForecastEntry[], stoppedBecause: `the instance is ${instance.state}` };
    }
    const until = addDuration(snapshot.now, parseDuration(horizon));
    const result = forecast(snapshot.state, snapshot.openTasks, snapshot.now, { horizon: until });
    return {
      processInstanceId: id,
      from: formatDateTime(snapshot.now),
      until: formatDateTime(until),
      items: result.items.map(
        (item): ForecastEntry => ({ dueDate: formatDateTime(item.at), kind: item.kind, elementId: item.elementId, name: item.name, predicted: item.predicted }),
      ),
      stoppedBecause: result.stoppedBecause,
    };
  }

  private async graphOf(key: string, version: number): Promise<ProcessGraph | undefined> {
    return (await this.definitions.findVersion(key, version))?.graph;
  }
}
