import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InstanceHistory } from '../entities/instance-history.entity';

/** The element history of instances, oldest first. */
@Injectable()
export class HistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  of(instanceId: string): Promise<InstanceHistory[]> {
    return this.dataSource.getRepository(InstanceHistory).find({ where: { instanceId }, order: { seq: 'ASC' } });
  }
}
