import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@xuncha/contracts';
import { unitScope } from '@xuncha/contracts';
import { DataSource } from 'typeorm';

/** An open task that is the person's to work: assigned to them, or offered to them or a group of theirs. */
export interface OfferedTaskRow {
  id: string;
  name: string | null;
  businessKey: string | null;
  assignee: string | null;
  owner: string | null;
  createdAt: Date;
  dueAt: Date | null;
}

/** A timer attached to such a task that has fired while the task stayed open: a reminder (催办). */
export interface FiredReminderRow {
  instanceId: string;
  timerId: string;
  timerName: string | null;
  firedAt: Date;
  taskId: string;
  taskName: string | null;
  businessKey: string | null;
}

/**
 * Reads behind the notice feed, and the notices each person has read. Only "mine to work"
 * counts: an overseer's view of every task is the deadline board, not a notice.
 */
@Injectable()
export class NoticeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's open tasks (assigned, or offered while unassigned) created since `since`, newest first. */
  async offeredTasks(caller: Principal, since: Date, limit: number): Promise<OfferedTaskRow[]> {
    const [scope, params] = this.scope(caller, 't', 5);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT t.id, t.name, t.business_key, t.assignee, t.owner, t.created_at, t.due_at FROM user_task t
       WHERE t.state IN ('created', 'claimed') AND t.created_at >= $3 AND ${MINE('t')} ${scope}
       ORDER BY t.created_at DESC, t.id DESC LIMIT $4`,
      [caller.sub, caller.groups, since, limit, ...params],
    );
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name as string | null,
      businessKey: row.business_key as string | null,
      assignee: row.assignee as string | null,
      owner: row.owner as string | null,
      createdAt: new Date(row.created_at as string),
      dueAt: row.due_at === null ? null : new Date(row.due_at as string),
    }));
  }

  /** Reminders fired since `since` on tasks still open and the caller's to work, newest first. */
  async firedReminders(caller: Principal, since: Date, now: Date, limit: number): Promise<FiredReminderRow[]> {
    const [scope, params] = this.scope(caller, 't', 6);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT p.instance_id, p.timer_id, p.name AS timer_name, p.due_at, t.id AS task_id, t.name AS task_name, t.business_key
       FROM process_timer p JOIN user_task t ON t.instance_id = p.instance_id AND t.task_id = p.owner_task_id
       WHERE p.state = 'fired' AND p.owner_task_id IS NOT NULL AND p.due_at >= $3 AND p.due_at <= $4
         AND t.state IN ('created', 'claimed') AND ${MINE('t')} ${scope}
       ORDER BY p.due_at DESC, p.timer_id LIMIT $5`,
      [caller.sub, caller.groups, since, now, limit, ...params],
    );
    return rows.map((row) => ({
      instanceId: row.instance_id as string,
      timerId: row.timer_id as string,
      timerName: row.timer_name as string | null,
      firedAt: new Date(row.due_at as string),
      taskId: String(row.task_id),
      taskName: row.task_name as string | null,
      businessKey: row.business_key as string | null,
    }));
  }

  /** How many of the caller's open tasks are past due. */
  async overdueCount(caller: Principal, now: Date): Promise<number> {
    const [scope, params] = this.scope(caller, 't', 4);
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM user_task t WHERE t.state IN ('created', 'claimed') AND t.due_at < $3 AND ${MINE('t')} ${scope}`,
      [caller.sub, caller.groups, now, ...params],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Which of these notices the person has read. */
  async readAmong(sub: string, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: Array<{ notice_key: string }> = await this.dataSource.query(`SELECT notice_key FROM notice_read WHERE sub = $1 AND notice_key = ANY($2::text[])`, [sub, keys]);
    return new Set(rows.map((row) => row.notice_key));
  }

  /** Records these notices as read (again is harmless); the number newly marked. */
  async markRead(sub: string, keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO notice_read (sub, notice_key) SELECT $1, k FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING RETURNING 1`,
      [sub, keys],
    );
    return rows.length;
  }

  /** The people of an inspected unit: only tasks of instances that concern their unit (none without a unit). */
  private scope(caller: Principal, alias: string, next: number): [string, unknown[]] {
    const unit = unitScope(caller);
    if (unit === undefined) return ['', []];
    if (unit === null) return ['AND false', []];
    return [`AND EXISTS (SELECT 1 FROM process_instance i WHERE i.id = ${alias}.instance_id AND i.unit_id = $${next})`, [unit]];
  }
}

/** The caller's to work: assigned to them, or unassigned and offered to them or one of their groups ($1 the person, $2 their groups). */
function MINE(alias: string): string {
  return `(${alias}.assignee = $1 OR (${alias}.assignee IS NULL AND (${alias}.candidate_users ? $1 OR ${alias}.candidate_groups ?| CAST($2 AS text[]))))`;
}
