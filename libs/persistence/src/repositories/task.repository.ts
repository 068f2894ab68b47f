import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal, TaskState } from '@xuncha/contracts';
import { hasOversight, unitScope } from '@xuncha/contracts';
import type { SelectQueryBuilder } from 'typeorm';
import { DataSource, In } from 'typeorm';
import { UserTask } from '../entities/user-task.entity';
import { cappedCount, explain } from './read-model-queries';

/** How the task list is sorted. */
export type TaskSort = 'dueDate' | 'created' | 'priority' | 'name';

/** Filters of the task list; `state` `open` means created or claimed, `all` any state. */
export interface TaskFilter {
  assignee?: string;
  candidateGroup?: string;
  /** Only tasks of this process (its BPMN id). */
  definitionKey?: string;
  /** Only tasks of instances of this round, or handled by this office (see the instance's round and office). */
  round?: string;
  office?: string;
  state: TaskState | 'open' | 'all';
  processInstanceId?: string;
  dueBefore?: Date;
  overdue?: boolean;
  sort: TaskSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Keyset paging: only tasks after this one in the list's order (its sort value and id). */
  after?: TaskKey;
}

/** Where a task stands in a sorted list: its sort value (ISO text for dates) and its id. */
export interface TaskKey {
  value: string | number | null;
  id: string;
}

/** A page of tasks: the items, the total (exact up to {@link COUNT_LIMIT}, estimated beyond) and whether more follow. */
export interface TaskPage {
  items: UserTask[];
  total: number;
  totalExact: boolean;
  hasMore: boolean;
}

/**
 * Up to how many matching rows a list counts exactly. Beyond it the total is the planner's
 * estimate: counting a million rows on every call is what made the inbox slow.
 */
export const COUNT_LIMIT = 1000;

const SORT_COLUMN: Record<TaskSort, string> = { dueDate: 't.due_at', created: 't.created_at', priority: 't.priority', name: 't.name' };

/** The sort value of a task, as a {@link TaskKey} carries it. */
export function taskSortValue(task: UserTask, sort: TaskSort): string | number | null {
  // Drivers differ in what they hand back (the embedded one may give text): read it as an instant.
  if (sort === 'dueDate') return task.dueAt ? new Date(task.dueAt).toISOString() : null;
  if (sort === 'created') return new Date(task.createdAt).toISOString();
  if (sort === 'priority') return task.priority;
  return task.name;
}

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
  /** The open tasks of an instance, oldest first. */
  openOfInstance(instanceId: string): Promise<UserTask[]> {
    return this.dataSource.getRepository(UserTask).find({ where: { instanceId, state: In(['created', 'claimed']) }, order: { id: 'ASC' } });
  }

  async list(filter: TaskFilter, caller: Principal, now: Date): Promise<TaskPage> {
    const query = this.filtered(filter, caller, now);
    // The count and the page are independent reads: run at once, the page waits only for the slower.
    const [counted, rows] = await Promise.all([this.count(query), this.paged(query.clone(), filter).getMany()]);
    return { items: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit, ...counted };
  }

  /** The plans Postgres runs for {@link list} (page, then count), executed: what the benchmarks print. */
  async explainList(filter: TaskFilter, caller: Principal, now: Date): Promise<string[]> {
    const query = this.filtered(filter, caller, now);
    const [page, pageParams] = this.paged(query.clone(), filter).getQueryAndParameters();
    const [all, allParams] = query.clone().select('1').orderBy().getQueryAndParameters();
    return [await explain(this.dataSource, page, pageParams), await explain(this.dataSource, `SELECT count(*) FROM (${all} LIMIT ${COUNT_LIMIT + 1}) c`, allParams)];
  }

  /** The tasks matching the filter that the caller may see, unordered. */
  private filtered(filter: TaskFilter, caller: Principal, now: Date): SelectQueryBuilder<UserTask> {
    const query = this.dataSource.getRepository(UserTask).createQueryBuilder('t');
    this.visibleTo(query, caller);
    if (filter.state === 'open') query.andWhere(`t.state IN ('created', 'claimed')`);
    else if (filter.state !== 'all') query.andWhere('t.state = :state', { state: filter.state });
    if (filter.assignee !== undefined) query.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
    if (filter.candidateGroup !== undefined) query.andWhere('t.candidate_groups ? :group', { group: filter.candidateGroup });
    if (filter.processInstanceId !== undefined) query.andWhere('t.instance_id = :instanceId', { instanceId: filter.processInstanceId });
    if (filter.definitionKey !== undefined) query.andWhere('t.definition_key = :definitionKey', { definitionKey: filter.definitionKey });
    if (filter.round !== undefined) query.andWhere('EXISTS (SELECT 1 FROM process_instance ri WHERE ri.id = t.instance_id AND ri.round_id = :round)', { round: filter.round });
    if (filter.office !== undefined) query.andWhere('EXISTS (SELECT 1 FROM process_instance oi WHERE oi.id = t.instance_id AND oi.office_id = :office)', { office: filter.office });
    if (filter.dueBefore !== undefined) query.andWhere('t.due_at < :dueBefore', { dueBefore: filter.dueBefore });
    if (filter.overdue === true) query.andWhere(`t.state IN ('created', 'claimed') AND t.due_at < :now`, { now });
    if (filter.overdue === false) query.andWhere(`(t.due_at IS NULL OR t.due_at >= :now)`, { now });
    return query;
  }

  /** One page of `query` in the list's order: after the cursor's key, or at the offset; one row more than the page, to tell whether more follow. */
  private paged(query: SelectQueryBuilder<UserTask>, filter: TaskFilter): SelectQueryBuilder<UserTask> {
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    if (filter.sort === 'dueDate') {
      // Tasks without a due date last either way; ascending, this is the order of IDX_user_task_open_by_due.
      const due = `COALESCE(t.due_at, '${direction === 'ASC' ? 'infinity' : '-infinity'}'::timestamptz)`;
      if (filter.after) this.keysetAfter(query, due, direction, filter.after.value ?? (direction === 'ASC' ? 'infinity' : '-infinity'), filter.after.id);
      query.orderBy(due, direction);
    } else {
      const column = SORT_COLUMN[filter.sort];
      if (filter.after) {
        const { value, id } = filter.after;
        if (value === null) query.andWhere(`(${column} IS NULL AND t.id > :afterId)`, { afterId: id });
        else this.keysetAfter(query, column, direction, value, id, filter.sort === 'name');
      }
      query.orderBy(column, direction, 'NULLS LAST');
    }
    return query
      .addOrderBy('t.id', 'ASC')
      .limit(filter.limit + 1)
      .offset(filter.after ? 0 : filter.offset);
  }

  /** Rows after (value, id) in `expression` order then id ascending; `nullable` columns keep their NULLs last. */
  private keysetAfter(query: SelectQueryBuilder<UserTask>, expression: string, direction: 'ASC' | 'DESC', value: string | number, id: string, nullable = false): void {
    const params = { afterValue: value, afterId: id };
    if (direction === 'ASC' && !nullable) {
      // A row comparison the ordered index answers directly.
      query.andWhere(`(${expression}, t.id) > (:afterValue, :afterId)`, params);
      return;
    }
    const op = direction === 'ASC' ? '>' : '<';
    const later = `${expression} ${op} :afterValue OR (${expression} = :afterValue AND t.id > :afterId)`;
    query.andWhere(nullable ? `(${later} OR ${expression} IS NULL)` : `(${later})`, params);
  }

  /** The number of matching rows, exact up to COUNT_LIMIT; beyond it the planner's estimate. */
  private async count(query: SelectQueryBuilder<UserTask>): Promise<{ total: number; totalExact: boolean }> {
    const [sql, params] = query.clone().select('1').orderBy().getQueryAndParameters();
    const { total, exact } = await cappedCount(this.dataSource, sql, params, COUNT_LIMIT);
    return { total, totalExact: exact };
  }


  /** Whether the caller may see this task (see {@link list}). */
  visible(task: UserTask, caller: Principal): boolean {
    if (hasOversight(caller)) return true;
    if (task.assignee === caller.sub || task.owner === caller.sub || task.completedBy === caller.sub) return true;
    return task.candidateUsers.includes(caller.sub) || task.candidateGroups.some((group) => caller.groups.includes(group));
  }

  private visibleTo(query: SelectQueryBuilder<UserTask>, caller: Principal): void {
    // The people of an inspected unit see only tasks of instances that concern their unit.
    const unit = unitScope(caller);
    if (unit === null) query.andWhere('false');
    if (unit) query.andWhere('EXISTS (SELECT 1 FROM process_instance i WHERE i.id = t.instance_id AND i.unit_id = :unit)', { unit });
    if (hasOversight(caller)) return;
    query.andWhere(
      `(t.assignee = :sub OR t.owner = :sub OR t.completed_by = :sub
        OR t.candidate_users ? :sub OR t.candidate_groups ?| CAST(:groups AS text[]))`,
      { sub: caller.sub, groups: caller.groups },
    );
  }
}
