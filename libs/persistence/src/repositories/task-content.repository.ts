import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { TaskContent } from '../entities/task-content.entity';

/** The reference a variable holds in place of text kept out of the process. */
export const CONTENT_REF = /^content:(\d{1,18})$/;

/** Text typed into form fields the model keeps out of the process (see {@link TaskContent}). */
@Injectable()
export class TaskContentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the texts; answers the reference of each, by field. */
  async store(entries: Array<Pick<TaskContent, 'instanceId' | 'taskId' | 'elementId' | 'field' | 'value' | 'author'>>): Promise<Map<string, string>> {
    if (entries.length === 0) return new Map();
    const result = await this.dataSource.createQueryBuilder().insert().into(TaskContent).values(entries).returning(['id']).execute();
    const ids = (result.raw as Array<{ id: string }>).map((row) => String(row.id));
    return new Map(entries.map((entry, index) => [entry.field, `content:${ids[index]}`]));
  }

  /** Removes what a refused completion stored. */
  async remove(refs: string[]): Promise<void> {
    const ids = refs.map((ref) => CONTENT_REF.exec(ref)?.[1]).filter((id): id is string => id !== undefined);
    if (ids.length > 0) await this.dataSource.getRepository(TaskContent).delete({ id: In(ids) });
  }

  /** Everything kept for an instance, oldest first. */
  ofInstance(instanceId: string): Promise<TaskContent[]> {
    return this.dataSource.getRepository(TaskContent).find({ where: { instanceId }, order: { id: 'ASC' } });
  }
}
