import { Injectable } from '@nestjs/common';
import type { RecordSmokeInput, SmokeActivities } from '@xuncha/contracts';
import { SmokeRecordRepository } from '@xuncha/persistence';

/** Activities of the smoke workflow, as a Nest provider so they receive repositories by injection. */
@Injectable()
export class SmokeActivitiesProvider {
  constructor(private readonly records: SmokeRecordRepository) {}

  /** The functions registered with the Temporal worker, checked against the shared contract. */
  activities(): SmokeActivities {
    return {
      recordSmoke: async (input: RecordSmokeInput) => (await this.records.recordOnce(input.workflowId, input.message)).id,
    };
  }
}
