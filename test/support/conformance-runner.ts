import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { BpmnError, type JobHandlerRegistry } from '@xuncha/activities';
import type { ObservedRun, ProcessGraph, ScriptStep, TraceEntry } from '@xuncha/bpmn-engine';
import { DEFAULT_SCENARIO_START, formatDateTime, parseDateTime } from '@xuncha/bpmn-engine';
import type { InstanceTrace, InstanceView, JobRequest, ProcessWorkflowInput } from '@xuncha/contracts';
import {
  advanceClockUpdate,
  cancelInstanceUpdate,
  completeUserTaskUpdate,
  deliverMessageUpdate,
  instanceSnapshotQuery,
  instanceTraceQuery,
  instanceViewQuery,
  PROCESS_WORKFLOW_TYPE,
  retryIncidentUpdate,
  setVariablesUpdate,
} from '@xuncha/contracts';
import { calendarFrom } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import type { LoadedCase } from './conformance-cases';
import { waitFor } from './wait';

/** Virtual ms per real ms unless a case says otherwise: six months take about 0.8 s of real sleeping. */
export const DEFAULT_TIME_SCALE = 2e7;

/** A job the scripted handler holds until the script completes, fails or throws it. */
interface HeldJob {
  job: JobRequest;
  resolve: (variables: Record<string, unknown>) => void;
  reject: (error: unknown) => void;
}

/**
 * Job handlers driven by conformance scripts: every job waits until a step completes, fails or
 * throws it, exactly as the simulator leaves jobs open for the script. An element marked
 * failing fails every attempt at once, so the definition's retries run out on the server.
 */
export class ScriptedJobs {
  private readonly held: HeldJob[] = [];
  private readonly failing = new Set<string>();

  /** Registers the scripted handler for every task type the graphs use (once per type). */
  install(registry: JobHandlerRegistry, graphs: ProcessGraph[]): void {
    const types = new Set(graphs.flatMap((graph) => Object.values(graph.nodes).flatMap((node) => (node.task ? [node.task.type] : []))));
    for (const type of types) {
      if (!registry.types().includes(type)) registry.register(type, (job) => this.take(job));
    }
  }

  private take(job: JobRequest): Promise<Record<string, unknown>> {
    if (this.failing.has(`${job.processInstanceId}/${job.elementId}`)) return Promise.reject(new Error(`scripted failure of ${job.elementId}`));
    return new Promise((resolve, reject) => this.held.push({ job, resolve, reject }));
  }

  /** The held job of an element in one of the instances, if its instance still waits for it. */
  find(elementId: string, live: (job: JobRequest) => boolean): HeldJob | undefined {
    return this.held.find((held) => held.job.elementId === elementId && live(held.job));
  }

  release(held: HeldJob): void {
    this.held.splice(this.held.indexOf(held), 1);
  }

  failAlways(instanceId: string, elementId: string, on: boolean): void {
    if (on) this.failing.add(`${instanceId}/${elementId}`);
    else this.failing.delete(`${instanceId}/${elementId}`);
  }

  /** Lets every held job go, so workers shut down promptly. */
  drain(): void {
    for (const held of this.held.splice(0)) held.reject(new Error('the conformance run ended'));
  }
}

/** A message as a script step publishes it. */
export interface ScriptMessage {
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  timeToLive?: string;
}

/** How a case's steps reach what the script does not drive through the workflow alone. */
export interface CaseContext {
  /**
   * Publishes a message the way the product does (POST /messages); answers how many instances
   * it reached. Without it, a message goes to every instance of the run by update, unbuffered.
   */
  publish?: (message: ScriptMessage) => Promise<number>;
  /** The subscription ids the read model shows for an instance, to publish only once it shows those the engine has open. */
  recordedSubscriptions?: (instanceId: string) => Promise<string[]>;
}

/** Live view of one instance of a case run (the root or a child). */
interface Instance {
  workflowId: string;
  view: InstanceView;
}

/**
 * Runs a conformance case on a real Temporal server: the case's process runs on a virtual
 * clock (timers are real server timers, shortened by the time scale), and each script step is
 * carried out through the workflow's updates and the scripted job handlers.
 */
export class TemporalCaseRunner {
  constructor(
    readonly client: Client,
    private readonly taskQueue: string,
    private readonly jobs: ScriptedJobs,
  ) {}

  /** Starts the case's instance; the definition must be deployed (call activities load theirs from the database). */
  async start(workflowId: string, loaded: LoadedCase, graph: ProcessGraph, definition: { key: string; version: number }): Promise<WorkflowHandle> {
    const scenario = loaded.case.scenario;
    const start = parseDateTime(scenario.start ?? DEFAULT_SCENARIO_START, scenario.timeZone);
    const input: ProcessWorkflowInput = {
      definition,
      graph,
      variables: scenario.variables ?? {},
      businessKey: scenario.businessKey ?? null,
      clock: { now: start, horizon: start, scale: scenario.timeScale ?? DEFAULT_TIME_SCALE },
      // As the API starts instances: the calendar from the year before the start on.
      calendar: calendarFrom(chineseDaysCalendar(), new Date(start).getUTCFullYear() - 1),
      ...(scenario.timeZone ? { timeZone: scenario.timeZone } : {}),
    };
    return this.client.workflow.start(PROCESS_WORKFLOW_TYPE, { workflowId, taskQueue: this.taskQueue, args: [input] });
  }

  /** Carries out one script step, waiting (with a deadline) until what it acts on exists and its effect has landed. */
  async apply(root: WorkflowHandle, action: ScriptStep, context: CaseContext = {}): Promise<void> {
    if ('complete' in action) {
      const target = await this.waitForWork(root, action.complete);
      if (target.kind === 'task') {
        await this.client.workflow
          .getHandle(target.instance.workflowId)
          .executeUpdate(completeUserTaskUpdate, { args: [{ taskId: target.taskId, variables: action.variables ?? {}, completedBy: action.by }] });
        return;
      }
      this.jobs.release(target.held);
      target.held.resolve(action.variables ?? {});
      await this.waitForJobOutcome(target.instance.workflowId, target.held.job.jobId);
      return;
    }
    if ('message' in action) {
      const message: ScriptMessage = {
        name: action.message,
        correlationKey: action.correlationKey ?? '',
        variables: action.variables ?? {},
        ...(action.timeToLive !== undefined ? { timeToLive: action.timeToLive } : {}),
      };
      if (context.publish) {
        if (context.recordedSubscriptions) await this.waitForRecordedSubscriptions(root.workflowId, context.recordedSubscriptions);
        const reached = await context.publish(message);
        if (action.expectCorrelated !== undefined && reached !== action.expectCorrelated) {
          throw new Error(`message "${action.message}" reached ${reached} instance(s), expected ${action.expectCorrelated}`);
        }
        return;
      }
      let correlated = 0;
      for (const instance of await this.instances(root.workflowId)) {
        if (instance.view.status !== 'active') continue;
        correlated += await this.client.workflow
          .getHandle(instance.workflowId)
          .executeUpdate(deliverMessageUpdate, { args: [{ name: action.message, correlationKey: action.correlationKey ?? '', variables: action.variables ?? {} }] });
      }
      if (action.expectCorrelated !== undefined && correlated !== action.expectCorrelated) {
        throw new Error(`message "${action.message}" reached ${correlated} subscription(s), expected ${action.expectCorrelated}`);
      }
      return;
    }
    if ('advance' in action) {
      try {
        await root.executeUpdate(advanceClockUpdate, { args: [{ by: action.advance }] });
      } catch (error) {
        // As in the simulator, time passing after the instance has ended changes nothing.
        if (!(error instanceof WorkflowNotFoundError) || (await root.describe()).status.name === 'RUNNING') throw error;
      }
      return;
    }
    if ('fail' in action || 'throw' in action) {
      const elementId = 'fail' in action ? action.fail : action.throw;
      const target = await this.waitForWork(root, elementId);
      if (target.kind !== 'job') throw new Error(`"${elementId}" is a user task, not a job`);
      this.jobs.release(target.held);
      const { workflowId } = target.instance;
      if ('fail' in action) {
        // Every retry the definition allows fails too, until the incident is raised.
        this.jobs.failAlways(workflowId, elementId, true);
        target.held.reject(new Error(action.reason ?? 'the handler failed'));
        await waitFor(`an incident at ${elementId}`, async () => ((await this.view(workflowId)).incidents.some((i) => i.elementId === elementId) ? true : undefined), { timeoutMs: 30_000 });
        this.jobs.failAlways(workflowId, elementId, false);
      } else {
        target.held.reject(new BpmnError(action.code, action.reason ?? action.code));
        await this.waitForJobOutcome(workflowId, target.held.job.jobId);
      }
      return;
    }
    if ('retry' in action) {
      const [instance, incidentId] = await waitFor(`an incident at ${action.retry}`, async () => {
        for (const candidate of await this.instances(root.workflowId)) {
          const incident = candidate.view.incidents.find((i) => i.elementId === action.retry);
          if (incident) return [candidate, incident.id] as const;
        }
        return undefined;
      });
      await this.client.workflow.getHandle(instance.workflowId).executeUpdate(retryIncidentUpdate, { args: [{ incidentId }] });
      return;
    }
    if ('set' in action) {
      if (action.at === undefined) {
        await root.executeUpdate(setVariablesUpdate, { args: [{ variables: action.set, local: action.local }] });
        return;
      }
      const [instance, elementInstanceId] = await waitFor(`an active element ${action.at}`, async () => {
        for (const candidate of await this.instances(root.workflowId)) {
          const element = candidate.view.activeElements.find((e) => e.elementId === action.at);
          if (element) return [candidate, element.id] as const;
        }
        return undefined;
      });
      await this.client.workflow.getHandle(instance.workflowId).executeUpdate(setVariablesUpdate, { args: [{ variables: action.set, elementInstanceId, local: action.local }] });
      return;
    }
    await root.executeUpdate(cancelInstanceUpdate);
  }

  /**
   * Waits until every child being started has started and the read model shows every
   * subscription the run's instances have open: the
   * simulator's publications see subscriptions the moment they open, the product's a moment
   * later, and a message without a time-to-live must not be published into that moment.
   */
  private async waitForRecordedSubscriptions(rootId: string, recorded: (instanceId: string) => Promise<string[]>): Promise<void> {
    await waitFor('the read model to show the open subscriptions', async () => {
      for (const instance of await this.instances(rootId)) {
        if (instance.view.status !== 'active') continue;
        // A call activity whose child is still being started has subscriptions to come.
        const started = new Set((await this.client.workflow.getHandle(instance.workflowId).query(instanceTraceQuery)).children.map((child) => child.childId));
        const starting = (element: InstanceView['activeElements'][number]): boolean =>
          element.wait === 'child' && !started.has(element.id) && !instance.view.incidents.some((incident) => incident.instanceId === element.id);
        if (instance.view.activeElements.some(starting)) return undefined;
        const snapshot = await this.client.workflow.getHandle(instance.workflowId).query(instanceSnapshotQuery);
        const shown = new Set(await recorded(instance.workflowId));
        if (Object.keys(snapshot.state.subscriptions).some((id) => !shown.has(id))) return undefined;
      }
      return true;
    });
  }

  /** What the run shows now, in the shape the expectations check; child traces are placed after the entry that started them. */
  async observe(root: WorkflowHandle): Promise<ObservedRun> {
    const view = await root.query(instanceViewQuery);
    const entries = await this.mergedTrace(root.workflowId, '');
    const lines = entries.map((entry) => `${entry.kind} ${entry.elementId}`);
    let variables = view.variables;
    if (view.status !== 'active') {
      const description = await root.describe();
      if (description.status.name === 'COMPLETED') variables = ((await root.result()) as { variables: Record<string, unknown> }).variables;
    }
    return {
      status: view.status,
      lines,
      timeline: entries.map((entry) => `${formatDateTime(entry.at).slice(0, 16)} ${entry.kind} ${entry.elementId}`),
      variables,
      incidents: view.incidents.map((i) => i.elementId),
      childIncidents: (view.childIncidents ?? []).map((i) => `${i.processId}/${i.elementId}`),
      waitingAt: view.activeElements.filter((e) => e.wait).map((e) => e.elementId),
    };
  }

  private async mergedTrace(workflowId: string, prefix: string): Promise<TraceEntry[]> {
    const trace: InstanceTrace = await this.client.workflow.getHandle(workflowId).query(instanceTraceQuery);
    const merged: TraceEntry[] = trace.entries.map((entry) => ({ ...entry, elementId: prefix + entry.elementId }));
    // A child's entries follow the parent's "entered" entry of its call activity (the n-th child of an element, the n-th entry).
    const seen = new Map<string, number>();
    for (const child of trace.children) {
      const nth = seen.get(child.elementId) ?? 0;
      seen.set(child.elementId, nth + 1);
      const childTrace = await this.childTrace(child.workflowId);
      let index = -1;
      let count = -1;
      for (let i = 0; i < merged.length && count < nth; i++) {
        if (merged[i]!.kind === 'entered' && merged[i]!.elementId === prefix + child.elementId) {
          count++;
          index = i;
        }
      }
      merged.splice(index + 1, 0, ...childTrace);
    }
    return merged;
  }

  private async childTrace(workflowId: string): Promise<TraceEntry[]> {
    const processId = (await this.view(workflowId)).definition.key;
    return this.mergedTrace(workflowId, `${processId}/`);
  }

  private view(workflowId: string): Promise<InstanceView> {
    return this.client.workflow.getHandle(workflowId).query(instanceViewQuery);
  }

  /** The root and every child instance it started, with their views. */
  private async instances(rootId: string): Promise<Instance[]> {
    const found: Instance[] = [];
    const visit = async (workflowId: string): Promise<void> => {
      const view = await this.view(workflowId);
      found.push({ workflowId, view });
      const trace = await this.client.workflow.getHandle(workflowId).query(instanceTraceQuery);
      for (const child of trace.children) await visit(child.workflowId);
    };
    await visit(rootId);
    return found;
  }

  private waitForWork(
    root: WorkflowHandle,
    elementId: string,
  ): Promise<{ kind: 'task'; instance: Instance; taskId: string } | { kind: 'job'; instance: Instance; held: HeldJob }> {
    return waitFor(`open work at ${elementId}`, async () => {
      const instances = await this.instances(root.workflowId);
      for (const instance of instances) {
        const task = instance.view.openUserTasks.find((t) => t.elementId === elementId);
        if (task) return { kind: 'task' as const, instance, taskId: task.taskId };
      }
      const live = (job: JobRequest): boolean =>
        instances.some((i) => i.workflowId === job.processInstanceId && i.view.activeElements.some((e) => e.id === job.jobId && e.wait === 'job'));
      const held = this.jobs.find(elementId, live);
      if (!held) return undefined;
      return { kind: 'job' as const, instance: instances.find((i) => i.workflowId === held.job.processInstanceId)!, held };
    });
  }

  /** Waits until the job's outcome has been applied: the instance no longer waits for it, or holds an incident for it. */
  private async waitForJobOutcome(workflowId: string, jobId: string): Promise<void> {
    await waitFor(`the outcome of job ${jobId}`, async () => {
      const view = await this.view(workflowId);
      if (view.incidents.some((incident) => incident.instanceId === jobId)) return true;
      return view.activeElements.some((e) => e.id === jobId && e.wait === 'job') ? undefined : true;
    });
  }
}
