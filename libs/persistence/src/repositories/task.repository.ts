import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal, TaskState } from '@xuncha/contracts';
import { hasOversight } from '@xuncha/contracts';
import type { SelectQueryBuilder } from 'typeorm';
import { DataSource } from 'typeorm';
import { UserTask } from '../entities/user-task.entity';

/** How the task list is sorted. */
export type TaskSort = 'dueDate' | 'created' | 'priority' | 'name';

/** Filters of the task list; `state` `open` means created or claimed, `all` any state. */
export interface TaskFilter {
  assignee?: string;
  candidateGroup?: string;
  state: TaskState | 'open' | 'all';
  processInstanceId?: string;
  dueBefore?: Date;
  overdue?: boolean;
  sort: TaskSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const SORT_COLUMN: Record<TaskSort, string> = { dueDate: 't.due_at', created: 't.created_at', priority: 't.priority', name: 't.name' };

/** Reads of the user task read model (the workflow writes it through the instance record). */
@Injectable()
export class TaskRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(id: string): Promise<UserTask | null> {
    if (!/^\d{1,18}$/.test(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserTask).findOneBy({ id });
  }

  findInInstance(instanceId: string, taskId: string): Promise<UserTask | null> {
    return this.dataSource.getRepository(UserTask).findOneBy({ instanceId, taskId });
  }

  /**
   * Tasks matching the filter that the caller may see: everything for `admin` and `supervisor`,
   * otherwise tasks of their candidate groups or naming them as candidate (claimed by a
   * colleague or closed included, so a team sees its work), tasks assigned to them, tasks they
   * delegated and tasks they completed. Due date ascending by default, tasks without one last.
   */
  async list(filter: TaskFilter, caller: Principal, now: Date): Promise<{ items: UserTask[]; total: number }> {
    const query = this.dataSource.getRepository(UserTask).createQueryBuilder('t');
    this.visibleTo(query, caller);
    if (filter.state === 'open') query.andWhere(`t.state IN ('created', 'claimed')`);
    else if (filter.state !== 'all') query.andWhere('t.state = :state', { state: filter.state });
    if (filter.assignee !== undefined) query.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
    if (filter.candidateGroup !== undefined) query.andWhere('jsonb_exists(t.candidate_groups, :group)', { group: filter.candidateGroup });
    if (filter.processInstanceId !== undefined) query.andWhere('t.instance_id = :instanceId', { instanceId: filter.processInstanceId });
    if (filter.dueBefore !== undefined) query.andWhere('t.due_at < :dueBefore', { dueBefore: filter.dueBefore });
    if (filter.overdue === true) query.andWhere(`t.state IN ('created', 'claimed') AND t.due_at < :now`, { now });
    if (filter.overdue === false) query.andWhere(`(t.due_at IS NULL OR t.due_at >= :now)`, { now });
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    query.orderBy(SORT_COLUMN[filter.sort], direction, 'NULLS LAST').addOrderBy('t.id', 'ASC');
    const [items, total] = await query.take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items, total };
  }

  /** Whether the caller may see this task (see {@link list}). */
  visible(task: UserTask, caller: Principal): boolean {
    if (hasOversight(caller)) return true;
    if (task.assignee === caller.sub || task.owner === caller.sub || task.completedBy === caller.sub) return true;
    return task.candidateUsers.includes(caller.sub) || task.candidateGroups.some((group) => caller.groups.includes(group));
  }

  private visibleTo(query: SelectQueryBuilder<UserTask>, caller: Principal): void {
    if (hasOversight(caller)) return;
    query.andWhere(
      `(t.assignee = :sub OR t.owner = :sub OR t.completed_by = :sub
        OR jsonb_exists(t.candidate_users, :sub) OR jsonb_exists_any(t.candidate_groups, CAST(:groups AS text[])))`,
      { sub: caller.sub, groups: caller.groups },
    );
  }
}
