import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@xuncha/contracts';
import { hasOversight } from '@xuncha/contracts';
import { DataSource } from 'typeorm';

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
}

/** Filters of the deadline board. */
export interface DeadlineFilter {
  /** Only deadlines due by then. */
  until?: Date;
  /** true: only past due; false: only not yet due. */
  overdue?: boolean;
  candidateGroup?: string;
  businessKey?: string;
  now: Date;
  limit: number;
  offset: number;
}

/** Open tasks with due dates and pending timers, in due order, from the read models. */
@Injectable()
export class DeadlineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: DeadlineFilter, caller: Principal): Promise<{ items: DeadlineRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.until) where.push(`d.due_at <= ${param(filter.until.toISOString())}`);
    if (filter.overdue === true) where.push(`d.due_at < ${param(filter.now.toISOString())}`);
    if (filter.overdue === false) where.push(`d.due_at >= ${param(filter.now.toISOString())}`);
    if (filter.candidateGroup !== undefined) where.push(`jsonb_exists(d.candidate_groups, ${param(filter.candidateGroup)})`);
    if (filter.businessKey !== undefined) where.push(`d.business_key = ${param(filter.businessKey)}`);
    if (!hasOversight(caller)) {
      const sub = param(caller.sub);
      where.push(`(d.assignee = ${sub} OR jsonb_exists(d.candidate_users, ${sub}) OR jsonb_exists_any(d.candidate_groups, CAST(${param(caller.groups)} AS text[])))`);
    }
    const board = `
      SELECT 'task' AS kind, t.id::text AS id, t.instance_id, t.element_id, t.name, t.definition_key, t.business_key, t.due_at,
        t.task_id, t.assignee, t.candidate_groups, t.candidate_users, t.warnings ->> 0 AS warning
      FROM user_task t WHERE t.state IN ('created', 'claimed') AND t.due_at IS NOT NULL
      UNION ALL
      SELECT 'timer', p.timer_id, p.instance_id, p.element_id, p.name, p.definition_key, p.business_key, p.due_at,
        p.owner_task_id, u.assignee, COALESCE(u.candidate_groups, '[]'::jsonb), COALESCE(u.candidate_users, '[]'::jsonb), p.warning
      FROM process_timer p LEFT JOIN user_task u ON u.instance_id = p.instance_id AND u.task_id = p.owner_task_id
      WHERE p.state = 'pending'`;
    const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const counted: Array<{ total: string }> = await this.dataSource.query(`SELECT count(*) AS total FROM (${board}) d ${condition}`, params);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM (${board}) d ${condition} ORDER BY d.due_at ASC, d.kind ASC, d.instance_id ASC, d.id ASC LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
      params,
    );
    return {
      total: Number(counted[0]?.total ?? 0),
      items: rows.map((row) => ({
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
      })),
    };
  }
}
