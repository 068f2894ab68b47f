import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { formatDateTime } from '@xuncha/bpmn-engine';
import type { ProcessGraph } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { InstanceView, Principal, ProcessWorkflowInput } from '@xuncha/contracts';
import {
  cancelInstanceUpdate,
  ConflictError,
  deliverMessageUpdate,
  ELEMENT_NOT_ACTIVE_TYPE,
  INCIDENT_NOT_OPEN_TYPE,
  instanceViewQuery,
  NotFoundError,
  PayloadTooLargeError,
  PROCESS_WORKFLOW_TYPE,
  retryIncidentUpdate,
  setVariablesUpdate,
} from '@xuncha/contracts';
import type { ProcessDefinitionVersion, ProcessInstance } from '@xuncha/persistence';
import { ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { CalendarService } from '../calendar/calendar.service';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { withTemporalDeadline } from '../temporal/temporal-deadline';
import type {
  InstanceDetailDto,
  InstancePageDto,
  InstanceStartedDto,
  InstanceSummaryDto,
  ListInstancesQuery,
  MessagePublishedDto,
  PublishMessageDto,
  SetVariablesDto,
  StartInstanceDto,
} from './process-instances.dto';

/** Largest variables object an instance start or a message may carry, as JSON bytes. */
export const MAX_VARIABLES_BYTES = 256 * 1024;

/** How long a repeated messageId waits for the first delivery of that id to finish. */
const DUPLICATE_WAIT_MS = 10_000;

function checkVariables(field: string, variables: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(variables), 'utf8');
  if (bytes > MAX_VARIABLES_BYTES) throw new PayloadTooLargeError(field, bytes, MAX_VARIABLES_BYTES);
}

/** The failure type an update validator or handler raised, if it raised an ApplicationFailure. */
function updateFailureType(error: unknown): string | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  return error.cause instanceof ApplicationFailure ? (error.cause.type ?? undefined) : undefined;
}

/** Starts, reads, cancels and repairs process instances; delivers messages. */
@Injectable()
export class ProcessInstancesService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly calendar: CalendarService,
  ) {}

  /** Starts an instance of a deployed version (the latest unless pinned); it stays on that version. */
  async start(body: StartInstanceDto): Promise<InstanceStartedDto> {
    const variables = body.variables ?? {};
    checkVariables('variables', variables);
    const definition =
      body.version !== undefined ? await this.definitions.findVersion(body.definitionKey, body.version) : await this.definitions.latest(body.definitionKey);
    if (!definition) {
      throw new NotFoundError('process definition', body.version !== undefined ? `${body.definitionKey} v${body.version}` : body.definitionKey);
    }
    const graph = definition.graph;
    const noneStart = graph.children.some((id) => graph.nodes[id]?.type === 'startEvent' && graph.nodes[id]?.trigger?.kind === 'none');
    if (!noneStart) {
      throw new ConflictError(`process "${definition.key}" has no none start event; it starts by message or timer`, { definitionKey: definition.key });
    }
    const id = randomUUID();
    await this.launch(id, definition, { variables, businessKey: body.businessKey ?? null });
    return { id, definitionKey: definition.key, definitionVersion: definition.version };
  }

  async list(query: ListInstancesQuery): Promise<InstancePageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.instances.list({
      definitionKey: query.definitionKey,
      state: query.state,
      businessKey: query.businessKey,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: items.map((row) => this.summary(row)), total, page, pageSize };
  }

  /** The instance: live from its workflow while it runs, from the read model once it has ended. */
  async get(id: string): Promise<InstanceDetailDto> {
    const row = await this.row(id);
    const summary = this.summary(row);
    if (row.state === 'completed' || row.state === 'cancelled') {
      return { ...summary, activeElements: [], variables: row.variables ?? {}, incidents: [], childIncidents: [] };
    }
    let view: InstanceView;
    try {
      view = await withTemporalDeadline(this.client, () => this.handle(id).query(instanceViewQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { ...summary, activeElements: [], variables: row.variables ?? {}, incidents: [], childIncidents: [] };
      throw error;
    }
    // Incident element names come from the pinned version's graph, read only when there are incidents.
    const graph = view.incidents.length > 0 ? await this.graphOf(row) : undefined;
    const childIncidents = view.childIncidents ?? [];
    const state = view.status !== 'active' ? view.status : view.incidents.length > 0 || childIncidents.length > 0 ? 'incident' : 'active';
    return {
      ...summary,
      state,
      openIncidents: view.incidents.length,
      activeElements: view.activeElements.map(({ id: elementInstanceId, elementId, name, kind, wait, since }) => ({ id: elementInstanceId, elementId, name, kind, wait, since })),
      variables: view.variables,
      incidents: view.incidents.map((incident) => ({
        id: incident.id,
        elementId: incident.elementId,
        elementName: graph?.nodes[incident.elementId]?.name ?? null,
        type: incident.type,
        message: incident.message,
        createdAt: formatDateTime(incident.createdAt),
      })),
      childIncidents,
    };
  }

  async cancel(id: string): Promise<InstanceDetailDto> {
    const row = await this.row(id);
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await withTemporalDeadline(this.client, () => this.handle(id).executeUpdate(cancelInstanceUpdate));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || updateFailureType(error)) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id);
  }

  async retryIncident(id: string, incidentId: string): Promise<InstanceDetailDto> {
    const row = await this.row(id);
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await withTemporalDeadline(this.client, () => this.handle(id).executeUpdate(retryIncidentUpdate, { args: [{ incidentId }] }));
    } catch (error) {
      if (updateFailureType(error) === INCIDENT_NOT_OPEN_TYPE) throw new NotFoundError('open incident', incidentId);
      if (error instanceof WorkflowNotFoundError) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id);
  }

  /** Sets variables of the instance or of one of its active scopes; the history names who did. */
  async setVariables(id: string, body: SetVariablesDto, caller: Principal): Promise<InstanceDetailDto> {
    checkVariables('variables', body.variables);
    const row = await this.row(id);
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await withTemporalDeadline(this.client, () =>
        this.handle(id).executeUpdate(setVariablesUpdate, {
          args: [{ variables: body.variables, elementInstanceId: body.elementInstanceId, local: body.local ?? false, by: caller.sub }],
        }),
      );
    } catch (error) {
      if (updateFailureType(error) === ELEMENT_NOT_ACTIVE_TYPE) throw new NotFoundError('active element instance', body.elementInstanceId ?? '');
      if (error instanceof WorkflowNotFoundError || updateFailureType(error)) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id);
  }

  /**
   * Publishes a message: every active instance with a matching subscription gets it, and every
   * latest definition with a message start event of that name starts an instance. With a
   * `messageId`, a repeat has no second effect and gets the first answer.
   */
  async publish(body: PublishMessageDto): Promise<MessagePublishedDto> {
    const variables = body.variables ?? {};
    checkVariables('variables', variables);
    const correlationKey = body.correlationKey ?? '';
    const { messageId } = body;
    if (messageId !== undefined && !(await this.instances.claimDelivery(messageId, body.name, correlationKey))) {
      return this.previousDelivery(messageId, body.name, correlationKey);
    }
    try {
      let correlated = 0;
      for (const instanceId of await this.instances.subscribers(body.name, correlationKey)) {
        try {
          correlated += await withTemporalDeadline(this.client, () =>
            this.handle(instanceId).executeUpdate(deliverMessageUpdate, {
              args: [{ name: body.name, correlationKey, variables }],
              // Temporal answers a repeated update id with the first result.
              ...(messageId !== undefined ? { updateId: `message:${messageId}` } : {}),
            }),
          );
        } catch (error) {
          // The instance ended after the subscription was read: it simply does not receive the message.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      const startedInstances: string[] = [];
      for (const { version, startEventId } of await this.definitions.startableByMessage(body.name)) {
        const id = messageId !== undefined ? this.idFor(messageId, version.key) : randomUUID();
        await this.launch(id, version, { variables, businessKey: null, startEventId });
        startedInstances.push(id);
      }
      const outcome = { correlated: correlated + startedInstances.length, startedInstances };
      if (messageId !== undefined) await this.instances.completeDelivery(messageId, outcome);
      return { ...outcome, duplicate: false };
    } catch (error) {
      if (messageId !== undefined) await this.instances.releaseDelivery(messageId);
      throw error;
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Registers the row, then starts the workflow; a start that fails removes the row again. */
  private async launch(
    id: string,
    definition: ProcessDefinitionVersion,
    options: { variables: Record<string, unknown>; businessKey: string | null; startEventId?: string },
  ): Promise<void> {
    await this.instances.register({
      id,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      businessKey: options.businessKey,
      startedAt: new Date(),
    });
    const input: ProcessWorkflowInput = {
      definition: { key: definition.key, version: definition.version },
      graph: definition.graph,
      variables: options.variables,
      businessKey: options.businessKey,
      calendar: await this.calendar.snapshotFor(new Date()),
      timeZone: this.config.engine.timeZone,
      ...(options.startEventId !== undefined ? { startEventId: options.startEventId } : {}),
    };
    try {
      await withTemporalDeadline(this.client, () =>
        this.client.workflow.start(PROCESS_WORKFLOW_TYPE, { workflowId: id, taskQueue: this.config.temporal.taskQueue, args: [input] }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      await this.instances.unregister(id);
      throw error;
    }
  }

  /** A stable instance id for a message start, so a retried delivery of one messageId starts one instance. */
  private idFor(messageId: string, key: string): string {
    const hex = createHash('sha256').update(`${key}\u0000${messageId}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private async previousDelivery(messageId: string, name: string, correlationKey: string): Promise<MessagePublishedDto> {
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (;;) {
      const delivery = await this.instances.delivery(messageId);
      if (delivery && (delivery.name !== name || delivery.correlationKey !== correlationKey)) {
        throw new ConflictError(`messageId "${messageId}" was already used for message "${delivery.name}" with another correlation key or name`, {
          messageId,
        });
      }
      if (delivery?.outcome) return { ...delivery.outcome, duplicate: true };
      // The first delivery of this id failed and released its claim meanwhile.
      if (!delivery) throw new ConflictError(`the first delivery of message "${messageId}" failed; send it again`, { messageId });
      if (Date.now() > deadline) throw new ConflictError(`message "${messageId}" is still being delivered; try again`, { messageId });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async row(id: string): Promise<ProcessInstance> {
    const row = await this.instances.find(id);
    if (!row) throw new NotFoundError('process instance', id);
    return row;
  }

  private async graphOf(row: ProcessInstance): Promise<ProcessGraph | undefined> {
    return (await this.definitions.findVersion(row.definitionKey, row.definitionVersion))?.graph;
  }

  private handle(id: string): WorkflowHandle {
    return this.client.workflow.getHandle(id);
  }

  private summary(row: ProcessInstance): InstanceSummaryDto {
    return {
      id: row.id,
      definitionKey: row.definitionKey,
      definitionVersion: row.definitionVersion,
      businessKey: row.businessKey,
      parentId: row.parentId,
      state: row.state,
      openIncidents: row.incidents,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
    };
  }
}
