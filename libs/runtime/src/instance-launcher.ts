import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { ProcessWorkflowInput, VirtualClock } from '@xuncha/contracts';
import { BUSINESS_KEY_ATTRIBUTE, DEFINITION_KEY_ATTRIBUTE, PROCESS_WORKFLOW_TYPE, UNIT_ID_ATTRIBUTE } from '@xuncha/contracts';
import type { ProcessDefinitionVersion } from '@xuncha/persistence';
import { ProcessInstanceRepository } from '@xuncha/persistence';
import { CalendarSource } from './calendar-source';
import { TEMPORAL_CLIENT } from './temporal-client.module';
import { withTemporalDeadline } from './temporal-deadline';

/** Whether Temporal refused a start because its namespace does not know a search attribute. */
function unknownSearchAttribute(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (/no mapping defined for search attribute|search attribute .*(is not defined|not found|unknown)/i.test(current.message)) return true;
  }
  return false;
}

/** How an instance starts: where, with what, and (for message and timer starts) at which start event. */
export interface LaunchRequest {
  /** The instance (workflow) id; callers derive it from what started the instance when a retry must not start two. */
  id: string;
  definition: ProcessDefinitionVersion;
  variables: Record<string, unknown>;
  businessKey: string | null;
  startEventId?: string;
  /** Virtual time (only where the configuration allows the test clock). */
  clock?: VirtualClock;
}

/**
 * Starts process instances, the same way wherever they start (the API, a message start
 * event, a timer start schedule): the read-model row first, then the workflow with the
 * version's graph, a calendar snapshot and the engine's time zone. Idempotent by id.
 */
@Injectable()
export class InstanceLauncher {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly instances: ProcessInstanceRepository,
    private readonly calendar: CalendarSource,
  ) {}

  /** Answers false when an instance with this id was started before (nothing is started again). */
  async launch(request: LaunchRequest): Promise<boolean> {
    const { id, definition } = request;
    if (request.clock && !this.config.testClock) throw new Error('a virtual clock needs TEST_CLOCK=1, which production never sets');
    // The unit an instance concerns confines who of an inspected unit sees it (see unitScope).
    const unitId = typeof request.variables.unitId === 'string' ? request.variables.unitId : null;
    // The round and office it belongs to, for task lists and the deadline board to filter by.
    const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null);
    await this.instances.register({
      unitId,
      roundId: text(request.variables.roundId),
      officeId: text(request.variables.officeId),
      id,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      businessKey: request.businessKey,
      startedAt: new Date(),
    });
    const input: ProcessWorkflowInput = {
      definition: { key: definition.key, version: definition.version },
      graph: definition.graph,
      variables: request.variables,
      businessKey: request.businessKey,
      calendar: await this.calendar.snapshotFor(new Date()),
      timeZone: this.config.engine.timeZone,
      defaultCandidateGroup: this.config.defaultCandidateGroup,
      ...(request.startEventId !== undefined ? { startEventId: request.startEventId } : {}),
      ...(request.clock ? { clock: request.clock } : {}),
    };
    // Started with its search attributes, the workflow need not set them (one command less);
    // a namespace that does not know them yet (no worker has registered them) gets a plain start.
    const attributes = [
      { key: DEFINITION_KEY_ATTRIBUTE, value: definition.key },
      ...(request.businessKey ? [{ key: BUSINESS_KEY_ATTRIBUTE, value: request.businessKey }] : []),
      ...(unitId ? [{ key: UNIT_ID_ATTRIBUTE, value: unitId }] : []),
    ];
    const start = (withAttributes: boolean): Promise<unknown> =>
      withTemporalDeadline(this.client, () =>
        this.client.workflow.start(PROCESS_WORKFLOW_TYPE, {
          workflowId: id,
          taskQueue: this.config.temporal.taskQueue,
          args: [input],
          // An id names one instance for good: a retried start never runs it a second time.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          ...(withAttributes ? { typedSearchAttributes: attributes } : {}),
        }),
      );
    try {
      try {
        await start(true);
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError || !unknownSearchAttribute(error)) throw error;
        await start(false);
      }
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      await this.instances.unregister(id);
      throw error;
    }
  }
}
