import { Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import type { CalledProcess, CalledProcessRequest, CollectedMessage, InstanceRecord, JobRequest, ProcessActivities, RecordedJobResult, RecordOutcome } from '@xuncha/contracts';
import { PROCESS_NOT_DEPLOYED_TYPE, READ_MODEL_REJECTED_TYPE } from '@xuncha/contracts';
import type { RecordResult } from '@xuncha/persistence';
import { MessageRepository, ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { MessageCorrelator, MessageStarts } from '@xuncha/runtime';
import { JobHandlerRegistry } from './job-handlers';

/**
 * How long a job waits for the write it carries before running anyway (the write may still land:
 * its number makes that harmless), so a slow database never spends the job's own time or retries.
 */
const CARRIED_WRITE_TIMEOUT_MS = 10_000;

/** The write resolved, or 'timeout' after `ms` (a late rejection is then ignored). */
async function withinTime<T>(write: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  write.catch(() => undefined);
  try {
    return await Promise.race([write, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The number the read models hold when a numbered write was not applied under it: a write the
 * read models already hold (a repeated attempt, the same number) is not behind.
 */
function behindBy(record: InstanceRecord, written: RecordResult): number | undefined {
  if (written.applied || record.writeSeq === undefined || record.writeSeq === null) return undefined;
  return written.storedSeq !== null && written.storedSeq > record.writeSeq ? written.storedSeq : undefined;
}

/** The process workflow's activities as a Nest provider: jobs, called processes and read-model writes. */
@Injectable()
export class ProcessActivitiesProvider {
  private readonly logger = new Logger('ProcessActivities');

  constructor(
    private readonly jobs: JobHandlerRegistry,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly messages: MessageRepository,
    private readonly messageStarts: MessageStarts,
    private readonly correlator: MessageCorrelator,
  ) {}

  activities(): ProcessActivities {
    return {
      runJob: (job) => this.jobs.run(job),
      runJobAndRecord: (request) => this.runJobAndRecord(request.job, request.record),
      loadCalledProcess: (request) => this.loadCalledProcess(request),
      recordInstance: (record: InstanceRecord) => this.recordInstance(record),
      releaseMessage: ({ messageKey, processId, instanceId }) => this.correlator.giveBack(messageKey, processId, instanceId),
    };
  }

  /**
   * Records the change; then each subscription it opened collects the oldest buffered message
   * waiting for it (claimed for this process, so no other instance of it gets the message),
   * and an instance that ended lets the next buffered message start one where it held a
   * message start lock. Safe to run again: a collected message is found again, not twice.
   */
  async recordInstance(record: InstanceRecord): Promise<RecordOutcome> {
    let written: RecordResult;
    try {
      written = await this.instances.record(record);
    } catch (error) {
      // SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the content is at fault, not the database.
      const code = (error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code ?? (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))) {
        const reason = error instanceof Error ? error.message : String(error);
        throw ApplicationFailure.nonRetryable(`the read models refused the change of instance ${record.instanceId} (SQLSTATE ${code}): ${reason}`, READ_MODEL_REJECTED_TYPE, {
          instanceId: record.instanceId,
          code,
        });
      }
      throw error;
    }
    const behind = behindBy(record, written);
    if (behind !== undefined) {
      this.logger.warn(`instance ${record.instanceId} wrote change number ${record.writeSeq ?? '?'} below the ${behind} the read models hold (reset or reused id); it writes again above it`);
      return { messages: [], behind };
    }
    if (record.state === 'completed' || record.state === 'cancelled') {
      // Each lock passes to the next instance a buffered message starts; those no message wants are released.
      for (const lock of await this.messages.startLocksOf(record.instanceId)) await this.messageStarts.startNext(lock.processId, lock.correlationKey, record.instanceId);
      await this.messages.releaseStartLocks(record.instanceId);
      return { messages: [] };
    }
    const closed = new Set(record.closedSubscriptions);
    const messages: CollectedMessage[] = [];
    for (const subscription of record.openSubscriptions) {
      if (closed.has(subscription.subscriptionId)) continue;
      const found = await this.messages.collect({
        instanceId: record.instanceId,
        processId: record.definition.key,
        subscriptionId: subscription.subscriptionId,
        messageName: subscription.messageName,
        correlationKey: subscription.correlationKey,
      });
      if (found) messages.push({ subscriptionId: subscription.subscriptionId, messageKey: found.key, name: found.name, correlationKey: found.correlationKey, variables: found.variables });
    }
    return { messages };
  }

  /**
   * Writes the change that created the job, then runs the job. The write carries no
   * subscription to collect for and no end, so the record's outcome is empty. However the write
   * fails (database down, content refused), the job still runs: its retries belong to its
   * handler, and the instance writes the change again through its own write, which retries until
   * the database answers (or raises the incident for refused content). A retried attempt writes
   * again; the write's sequence number makes that, and a late write, harmless.
   */
  async runJobAndRecord(job: JobRequest, record: InstanceRecord): Promise<RecordedJobResult> {
    let recorded = false;
    let behind: number | undefined;
    try {
      const written = await withinTime(this.instances.record(record), CARRIED_WRITE_TIMEOUT_MS);
      if (written === 'timeout') {
        this.logger.warn(`the write carried by job ${job.jobId} of instance ${record.instanceId} took over ${CARRIED_WRITE_TIMEOUT_MS} ms; the instance writes it again`);
      } else {
        behind = behindBy(record, written);
        recorded = behind === undefined;
      }
    } catch (error) {
      this.logger.warn(`the write carried by job ${job.jobId} of instance ${record.instanceId} failed; the instance writes it again: ${error instanceof Error ? error.message : String(error)}`);
    }
    const variables = await this.jobs.run(job);
    return behind === undefined ? { variables, recorded } : { variables, recorded, behind };
  }

  /** The version a call activity starts: the latest, the newest with its version tag, or the one current when the caller was deployed. */
  async loadCalledProcess(request: CalledProcessRequest): Promise<CalledProcess> {
    const { processId, binding, versionTag, caller } = request;
    const found =
      binding === 'versionTag' && versionTag
        ? await this.definitions.latestTagged(processId, versionTag)
        : binding === 'deployment'
          ? await this.definitions.latestDeployedWith(processId, caller)
          : await this.definitions.latest(processId);
    if (!found) {
      const which =
        binding === 'versionTag' ? ` with version tag "${versionTag ?? ''}"` : binding === 'deployment' ? ` deployed with ${caller.key} v${caller.version}` : '';
      throw ApplicationFailure.nonRetryable(`no version of process "${processId}"${which} is deployed`, PROCESS_NOT_DEPLOYED_TYPE, { processId });
    }
    return { definition: { key: found.key, version: found.version }, graph: found.graph };
  }
}
