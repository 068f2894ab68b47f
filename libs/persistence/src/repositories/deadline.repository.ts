import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@xuncha/contracts';
import { hasOversight, unitScope } from '@xuncha/contracts';
import { DataSource } from 'typeorm';
import { cappedCount, explain } from './read-model-queries';

/** One row of the deadline board: an open task's due date or a pending timer. */
export interface DeadlineRow {
  kind: 'task' | 'timer';
  /** Task id (as in /tasks/:id) or the timer's engine id. */
  id: string;
  instanceId: string;
  elementId: string;
  name: string | null;
  definitionKey: string;
  businessKey: string | null;
  dueAt: Date;
  /** For timers, of the user task the timer is attached to (if any). */
  taskId: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  warning: string | null;
  /** The round and the office of its instance (see the instance's round and office). */
  roundId: string | null;
  officeId: string | null;
}

/** Where a deadline stands on the board: due instant, kind, instance and id. */
export interface DeadlineKey {
  dueAt: string;
  kind: 'task' | 'timer';
  instanceId: string;
  id: string;
}

/** Filters of the deadline board. */
export interface DeadlineFilter {
  /** Only deadlines due by then. */
  until?: Date;
  /** true: only past due; false: only not yet due. */
  overdue?: boolean;
  candidateGroup?: string;
  businessKey?: string;
  /** Only deadlines of instances of this round, or handled by this office. */
  round?: string;
  office?: string;
  now: Date;
  limit: number;
  offset: number;
  /** Keyset paging: only deadlines after this one. */
  after?: DeadlineKey;
}

export interface DeadlinePage {
  items: DeadlineRow[];
  total: number;
  totalExact: boolean;
  hasMore: boolean;
}

/** Up to how many rows of each kind the board counts exactly; beyond, the planner estimates. */
const COUNT_LIMIT = 1000;

/** The SQL of one kind of deadline: its rows (SELECT list), source, base condition and order. */
interface Branch {
  kind: 'task' | 'timer';
  select: string;
  from: string;
  where: string[];
  order: string[];
  /** Column expressions the filters read. */
  due: string;
  groups: string;
  users: string;
  assignee: string;
  businessKey: string;
}

const TASKS: Branch = {
  kind: 'task',
  select: `'task' AS kind, t.id::text AS id, t.instance_id, t.element_id, t.name, t.definition_key, t.business_key, t.due_at,
    t.task_id, t.assignee, t.candidate_groups, t.candidate_users, t.warnings ->> 0 AS warning`,
  from: 'user_task t',
  where: [`t.state IN ('created', 'claimed')`, 't.due_at IS NOT NULL'],
  order: ['t.due_at', 't.instance_id', 't.id'],
  due: 't.due_at',
  groups: 't.candidate_groups',
  users: 't.candidate_users',
  assignee: 't.assignee',
  businessKey: 't.business_key',
};

const TIMERS: Branch = {
  kind: 'timer',
  // A timer on a task carries that task's people (see the instance record).
  select: `'timer' AS kind, p.timer_id AS id, p.instance_id, p.element_id, p.name, p.definition_key, p.business_key, p.due_at,
    p.owner_task_id AS task_id, p.assignee, p.candidate_groups, p.candidate_users, p.warning`,
  from: 'process_timer p',
  where: [`p.state = 'pending'`],
  order: ['p.due_at', 'p.instance_id', 'p.timer_id'],
  due: 'p.due_at',
  groups: 'p.candidate_groups',
  users: 'p.candidate_users',
  assignee: 'p.assignee',
  businessKey: 'p.business_key',
};

/**
 * Open tasks with due dates and pending timers, in due order (tasks before timers at the same
 * instant, then by instance and id), from the read models. Each kind is read in its index's
 * order and only as far as the page needs, and the two are merged: no scan or sort of the
 * whole board, and no exact count past COUNT_LIMIT rows of a kind.
 */
@Injectable()
export class DeadlineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: DeadlineFilter, caller: Principal): Promise<DeadlinePage> {
    const wanted = (filter.after ? 0 : filter.offset) + filter.limit + 1;
    const [tasks, timers] = [this.query(TASKS, filter, caller), this.query(TIMERS, filter, caller)];
    // Four independent reads, run at once. The total is the whole board's under these filters, wherever the cursor stands.
    const [taskRows, timerRows, taskCount, timerCount] = await Promise.all([
      this.rows(tasks, wanted),
      this.rows(timers, wanted),
      this.count(this.query(TASKS, { ...filter, after: undefined }, caller)),
      this.count(this.query(TIMERS, { ...filter, after: undefined }, caller)),
    ]);
    const merged: DeadlineRow[] = [];
    let i = 0;
    let j = 0;
    while (merged.length < wanted && (i < taskRows.length || j < timerRows.length)) {
      const task = taskRows[i];
      const timer = timerRows[j];
      // Within a kind SQL gave the order; across kinds the due instant decides, tasks first on a tie.
      if (task && (!timer || task.dueAt.getTime() <= timer.dueAt.getTime())) {
        merged.push(task);
        i++;
      } else {
        merged.push(timer!);
        j++;
      }
    }
    const start = filter.after ? 0 : filter.offset;
    return {
      items: merged.slice(start, start + filter.limit),
      hasMore: merged.length > start + filter.limit,
      total: taskCount.total + timerCount.total,
      totalExact: taskCount.exact && timerCount.exact,
    };
  }

  /** The plans Postgres runs for {@link list} (tasks page, timers page, tasks count, timers count), executed. */
  async explainList(filter: DeadlineFilter, caller: Principal): Promise<string[]> {
    const wanted = (filter.after ? 0 : filter.offset) + filter.limit + 1;
    const plans: string[] = [];
    for (const branch of [TASKS, TIMERS]) {
      const query = this.query(branch, filter, caller);
      plans.push(await explain(this.dataSource, `${query.sql} ORDER BY ${query.order} LIMIT ${wanted}`, query.params));
    }
    for (const branch of [TASKS, TIMERS]) {
      const query = this.query(branch, { ...filter, after: undefined }, caller);
      plans.push(await explain(this.dataSource, `SELECT count(*) FROM (${query.sql} LIMIT ${COUNT_LIMIT + 1}) c`, query.params));
    }
    return plans;
  }

  /** One kind's SELECT with the filters, the caller's visibility and the keyset applied (without ORDER or LIMIT). */
  private query(branch: Branch, filter: DeadlineFilter, caller: Principal): { sql: string; params: unknown[]; order: string } {
    const where = [...branch.where];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.until) where.push(`${branch.due} <= ${param(filter.until.toISOString())}`);
    if (filter.overdue === true) where.push(`${branch.due} < ${param(filter.now.toISOString())}`);
    if (filter.overdue === false) where.push(`${branch.due} >= ${param(filter.now.toISOString())}`);
    if (filter.candidateGroup !== undefined) where.push(`${branch.groups} ? ${param(filter.candidateGroup)}`);
    if (filter.businessKey !== undefined) where.push(`${branch.businessKey} = ${param(filter.businessKey)}`);
    if (filter.round !== undefined) where.push(`EXISTS (SELECT 1 FROM process_instance ri WHERE ri.id = ${branch.order[1]} AND ri.round_id = ${param(filter.round)})`);
    if (filter.office !== undefined) where.push(`EXISTS (SELECT 1 FROM process_instance oi WHERE oi.id = ${branch.order[1]} AND oi.office_id = ${param(filter.office)})`);
    const unit = unitScope(caller);
    if (unit === null) where.push('false');
    if (unit) where.push(`EXISTS (SELECT 1 FROM process_instance i WHERE i.id = ${branch.order[1]} AND i.unit_id = ${param(unit)})`);
    if (!hasOversight(caller)) {
      const sub = param(caller.sub);
      where.push(`(${branch.assignee} = ${sub} OR ${branch.users} ? ${sub} OR ${branch.groups} ?| CAST(${param(caller.groups)} AS text[]))`);
    }
    const after = filter.after;
    if (after) {
      const due = param(after.dueAt);
      if (after.kind === branch.kind) {
        const [dueColumn, instanceColumn, idColumn] = branch.order;
        const id = branch.kind === 'task' ? `CAST(${param(after.id)} AS bigint)` : param(after.id);
        where.push(`(${dueColumn}, ${instanceColumn}, ${idColumn}) > (${due}, ${param(after.instanceId)}, ${id})`);
      } else {
        // Tasks come before timers at the same instant.
        where.push(`${branch.due} ${branch.kind === 'task' ? '>' : '>='} ${due}`);
      }
    }
    return { sql: `SELECT ${branch.select} FROM ${branch.from} WHERE ${where.join(' AND ')}`, params, order: branch.order.join(', ') };
  }

  private async rows(query: { sql: string; params: unknown[]; order: string }, limit: number): Promise<DeadlineRow[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`${query.sql} ORDER BY ${query.order} LIMIT ${Number(limit)}`, query.params);
    // The round and office of the page's instances, read once for the page rather than per matching row.
    const instanceIds = [...new Set(rows.map((row) => String(row.instance_id)))];
    const belongs: Array<{ id: string; round_id: string | null; office_id: string | null }> =
      instanceIds.length === 0 ? [] : await this.dataSource.query(`SELECT id, round_id, office_id FROM process_instance WHERE id = ANY($1::varchar[])`, [instanceIds]);
    const of = new Map(belongs.map((row) => [row.id, row]));
    return rows.map((row) => ({
      roundId: of.get(String(row.instance_id))?.round_id ?? null,
      officeId: of.get(String(row.instance_id))?.office_id ?? null,
      kind: row.kind as 'task' | 'timer',
      id: String(row.id),
      instanceId: String(row.instance_id),
      elementId: String(row.element_id),
      name: (row.name as string | null) ?? null,
      definitionKey: String(row.definition_key),
      businessKey: (row.business_key as string | null) ?? null,
      dueAt: new Date(row.due_at as string | Date),
      taskId: (row.task_id as string | null) ?? null,
      assignee: (row.assignee as string | null) ?? null,
      candidateGroups: (row.candidate_groups as string[] | null) ?? [],
      candidateUsers: (row.candidate_users as string[] | null) ?? [],
      warning: (row.warning as string | null) ?? null,
    }));
  }

  /** Matching rows of one kind: exact up to COUNT_LIMIT, else the planner's estimate. */
  private count(query: { sql: string; params: unknown[] }): Promise<{ total: number; exact: boolean }> {
    return cappedCount(this.dataSource, query.sql, query.params, COUNT_LIMIT);
  }
}
