import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SmokeRecord } from '../entities/smoke-record.entity';

/** Port for the smoke rows: services depend on this class, never on TypeORM directly. */
@Injectable()
export class SmokeRecordRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts the workflow's row once; a retried activity gets the existing row back. */
  async recordOnce(workflowId: string, message: string): Promise<SmokeRecord> {
    const repository = this.dataSource.getRepository(SmokeRecord);
    await repository
      .createQueryBuilder()
      .insert()
      .values({ workflowId, message })
      .orIgnore()
      .execute();
    return repository.findOneByOrFail({ workflowId });
  }

  /** The row a workflow wrote, if any. */
  findByWorkflowId(workflowId: string): Promise<SmokeRecord | null> {
    return this.dataSource.getRepository(SmokeRecord).findOneBy({ workflowId });
  }
}
