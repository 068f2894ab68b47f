import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import type { JobRequest } from '@xuncha/contracts';
import { BPMN_ERROR_TYPE, UNKNOWN_TASK_TYPE } from '@xuncha/contracts';

/** Thrown by a handler to raise a BPMN error with a code, which the model can catch. */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message = code,
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/** Does the work of one task type; returns the variables to merge into the instance. */
export type JobHandler = (job: JobRequest) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/**
 * The handlers for zeebe:taskDefinition types (e.g. "ledger.record-clue"), registered by Nest
 * providers at start. An unknown type fails the job without retries, which the workflow turns
 * into an incident naming the type; a BpmnError becomes a catchable BPMN error.
 */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(taskType: string, handler: JobHandler): void {
    if (this.handlers.has(taskType)) throw new Error(`a handler for task type "${taskType}" is already registered`);
    this.handlers.set(taskType, handler);
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** The activity: runs the job's handler, translating its outcome for the workflow. */
  async run(job: JobRequest): Promise<Record<string, unknown>> {
    const handler = this.handlers.get(job.taskType);
    if (!handler) {
      throw ApplicationFailure.nonRetryable(`no handler is registered for task type "${job.taskType}"`, UNKNOWN_TASK_TYPE, {
        taskType: job.taskType,
        elementId: job.elementId,
      });
    }
    try {
      return (await handler(job)) ?? {};
    } catch (error) {
      if (error instanceof BpmnError) throw ApplicationFailure.nonRetryable(error.message, BPMN_ERROR_TYPE, { code: error.code });
      throw error;
    }
  }
}
