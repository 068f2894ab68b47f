import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { SmokeWorkflowInput } from '@xuncha/contracts';
import { NotFoundError, SMOKE_WORKFLOW_ID_PREFIX, SMOKE_WORKFLOW_TYPE } from '@xuncha/contracts';
import { SmokeRecordRepository } from '@xuncha/persistence';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module';
import { withTemporalDeadline } from '../temporal/temporal-deadline';
import type { SmokeRunDto } from './smoke.dto';

/** Starts the smoke workflow and reports its status together with the row its activity wrote. */
@Injectable()
export class SmokeService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: SmokeRecordRepository,
  ) {}

  async start(message: string): Promise<string> {
    const id = `${SMOKE_WORKFLOW_ID_PREFIX}${randomUUID()}`;
    const input: SmokeWorkflowInput = { message };
    await withTemporalDeadline(this.client, () =>
      this.client.workflow.start(SMOKE_WORKFLOW_TYPE, {
        workflowId: id,
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
      }),
    );
    return id;
  }

  async get(id: string): Promise<SmokeRunDto> {
    if (!id.startsWith(SMOKE_WORKFLOW_ID_PREFIX)) throw new NotFoundError('smoke run', id);
    let description;
    try {
      description = await withTemporalDeadline(this.client, () => this.client.workflow.getHandle(id).describe());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError('smoke run', id);
      throw error;
    }
    const record = await this.records.findByWorkflowId(id);
    return {
      id,
      status: description.status.name,
      startedAt: description.startTime.toISOString(),
      closedAt: description.closeTime?.toISOString() ?? null,
      record: record && { id: record.id, message: record.message, recordedAt: record.recordedAt.toISOString() },
    };
  }
}
