import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { formatDateTime } from '@xuncha/bpmn-engine';
import type { ProcessGraph } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { InstanceView, Principal } from '@xuncha/contracts';
import {
  advanceClockUpdate,
  cancelInstanceUpdate,
  ConflictError,
  ELEMENT_NOT_ACTIVE_TYPE,
  ForbiddenError,
  INCIDENT_NOT_OPEN_TYPE,
  instanceViewQuery,
  InvalidRequestError,
  NotFoundError,
  retryIncidentUpdate,
  setVariablesUpdate,
} from '@xuncha/contracts';
import type { ProcessInstance } from '@xuncha/persistence';
import { OrganisationRepository, ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { InstanceLauncher, TEMPORAL_CLIENT, withTemporalDeadline } from '@xuncha/runtime';
import { checkVariables } from '../http/variables';
import { InstanceAccess } from './instance-access';
import { virtualClockOf } from './virtual-clock';
import type {
  InstanceDetailDto,
  InstancePageDto,
  InstanceStartedDto,
  InstanceSummaryDto,
  ListInstancesQuery,
  SetVariablesDto,
  StartInstanceDto,
} from './process-instances.dto';

/** The failure type an update validator or handler raised, if it raised an ApplicationFailure. */
function updateFailureType(error: unknown): string | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  return error.cause instanceof ApplicationFailure ? (error.cause.type ?? undefined) : undefined;
}

/** Starts, reads, cancels and repairs process instances. */
@Injectable()
export class ProcessInstancesService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly access: InstanceAccess,
    private readonly organisation: OrganisationRepository,
    private readonly launcher: InstanceLauncher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts an instance of a deployed version (the latest unless pinned); it stays on that version. */
  async start(body: StartInstanceDto, caller: Principal): Promise<InstanceStartedDto> {
    const variables = body.variables ?? {};
    checkVariables('variables', variables);
    // The unit an instance concerns decides who of an inspected unit sees it: it must be a unit of the directory.
    if (variables.unitId !== undefined) {
      const unitId = variables.unitId;
      if (typeof unitId !== 'string' || (await this.organisation.unitsByIds([unitId])).length === 0) {
        throw new InvalidRequestError('variables.unitId', `variables.unitId must name a unit of the directory, got ${JSON.stringify(unitId).slice(0, 80)}`);
      }
    }
    const definition =
      body.version !== undefined ? await this.definitions.findVersion(body.definitionKey, body.version) : await this.definitions.latest(body.definitionKey);
    if (!definition) {
      throw new NotFoundError('process definition', body.version !== undefined ? `${body.definitionKey} v${body.version}` : body.definitionKey);
    }
    await this.access.require(caller, 'start', definition.key);
    const graph = definition.graph;
    const noneStart = graph.children.some((id) => graph.nodes[id]?.type === 'startEvent' && graph.nodes[id]?.trigger?.kind === 'none');
    if (!noneStart) {
      throw new ConflictError(`process "${definition.key}" has no none start event; it starts by message or timer`, { definitionKey: definition.key });
    }
    const clock = virtualClockOf(body.virtualClock, this.config);
    const id = randomUUID();
    await this.launcher.launch({ id, definition, variables, businessKey: body.businessKey ?? null, ...(clock ? { clock } : {}) });
    return { id, definitionKey: definition.key, definitionVersion: definition.version };
  }

  async list(query: ListInstancesQuery, caller: Principal): Promise<InstancePageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.instances.list({
      ...(await this.access.listFilter(caller)),
      definitionKey: query.definitionKey,
      state: query.state,
      businessKey: query.businessKey,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: items.map((row) => this.summary(row)), total, page, pageSize };
  }

  /** The instance: live from its workflow while it runs, from the read model once it has ended. */
  async get(id: string, caller: Principal): Promise<InstanceDetailDto> {
    const row = await this.row(id, caller);
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

  async cancel(id: string, caller: Principal): Promise<InstanceDetailDto> {
    const row = await this.row(id, caller, 'cancel');
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await withTemporalDeadline(this.client, () => this.handle(id).executeUpdate(cancelInstanceUpdate));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || updateFailureType(error)) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id, caller);
  }

  /**
   * Moves an instance's virtual clock (TEST_CLOCK=1 only) and answers once the timers due on the
   * way have fired: a rehearsal of months in seconds.
   */
  async advanceClock(id: string, by: string, caller: Principal): Promise<InstanceDetailDto> {
    if (!this.config.testClock) throw new ForbiddenError('the test clock is available only when the server runs with TEST_CLOCK=1, never in production');
    const row = await this.row(id, caller, 'modify');
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await this.handle(id).executeUpdate(advanceClockUpdate, { args: [{ by }] });
    } catch (error) {
      if (updateFailureType(error) === 'RealTime') throw new ConflictError('the instance runs on real time; its clock cannot be advanced', { id });
      if (error instanceof WorkflowNotFoundError) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id, caller);
  }

  async retryIncident(id: string, incidentId: string, caller: Principal): Promise<InstanceDetailDto> {
    const row = await this.row(id, caller, 'retry');
    if (row.state === 'completed' || row.state === 'cancelled') throw new ConflictError(`the instance is ${row.state}`, { id, state: row.state });
    try {
      await withTemporalDeadline(this.client, () => this.handle(id).executeUpdate(retryIncidentUpdate, { args: [{ incidentId }] }));
    } catch (error) {
      if (updateFailureType(error) === INCIDENT_NOT_OPEN_TYPE) throw new NotFoundError('open incident', incidentId);
      if (error instanceof WorkflowNotFoundError) throw new ConflictError('the instance is no longer running', { id });
      throw error;
    }
    return this.get(id, caller);
  }

  /** Sets variables of the instance or of one of its active scopes; the history names who did. */
  async setVariables(id: string, body: SetVariablesDto, caller: Principal): Promise<InstanceDetailDto> {
    checkVariables('variables', body.variables);
    const row = await this.row(id, caller, 'modify');
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
    return this.get(id, caller);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The instance, if the caller may know it exists (else not found); given an action, only if the
   * caller may also do it (else forbidden, naming the action).
   */
  async row(id: string, caller: Principal, action?: 'cancel' | 'retry' | 'modify'): Promise<ProcessInstance> {
    return this.access.check(caller, await this.instances.find(id), id, action);
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
