import { Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import type { CalledProcess, CalledProcessRequest, InstanceRecord, ProcessActivities } from '@xuncha/contracts';
import { PROCESS_NOT_DEPLOYED_TYPE } from '@xuncha/contracts';
import { ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { JobHandlerRegistry } from './job-handlers';

/** The process workflow's activities as a Nest provider: jobs, called processes and read-model writes. */
@Injectable()
export class ProcessActivitiesProvider {
  constructor(
    private readonly jobs: JobHandlerRegistry,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly instances: ProcessInstanceRepository,
  ) {}

  activities(): ProcessActivities {
    return {
      runJob: (job) => this.jobs.run(job),
      loadCalledProcess: (request) => this.loadCalledProcess(request),
      recordInstance: (record: InstanceRecord) => this.instances.record(record),
    };
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
