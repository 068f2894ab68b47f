import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { InstanceRecord, InstanceState } from '@xuncha/contracts';
import { DataSource } from 'typeorm';
import { ProcessInstance } from '../entities/process-instance.entity';

/** Epoch ms as ISO text for Postgres, null kept. */
function iso(epoch: number | null): string | null {
  return epoch === null ? null : new Date(epoch).toISOString();
}

/** Filters of the instance list. */
export interface InstanceFilter {
  definitionKey?: string;
  state?: InstanceState;
  businessKey?: string;
  /** Definition keys whose instances are left out. */
  hiddenKeys?: string[];
  /** Only instances of these definitions (none when empty); undefined for no such limit. */
  onlyKeys?: string[];
  /** Only instances concerning this unit (none when null); undefined for no such limit. */
  unit?: string | null;
  /** Leave out the instances of restricted clues (the clue ledger's `restricted`). */
  hideRestrictedClues?: boolean;
  limit: number;
  offset: number;
}

/** Port for the instance read models: instance rows and what each change brings (subscriptions, tasks, timers, history). */
@Injectable()
export class ProcessInstanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers an instance the API is about to start; a row that already exists is left as it is. */
  async register(
    row: Pick<ProcessInstance, 'id' | 'definitionKey' | 'definitionVersion' | 'businessKey' | 'startedAt'> & { unitId?: string | null; roundId?: string | null; officeId?: string | null },
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ProcessInstance)
      .values({ ...row, unitId: row.unitId ?? null, roundId: row.roundId ?? null, officeId: row.officeId ?? null, parentId: null, state: 'active', incidents: 0, variables: null, endedAt: null, updatedAt: new Date() })
      .orIgnore()
      .execute();
  }

  /** Removes a registered row whose workflow could not be started, so nothing half-made stays behind. */
  async unregister(id: string): Promise<void> {
    await this.dataSource.getRepository(ProcessInstance).delete({ id, state: 'active' });
  }

  /**
   * Applies one change from the workflow in a single statement (atomic without a transaction,
   * which the embedded database's single connection cannot interleave): the instance row is
   * upserted, opened subscriptions added, closed ones (all of them once the instance ended) removed,
   * user tasks upserted unless the row is already at a newer revision (a retried write never
   * goes back or duplicates), timers upserted, history entries appended once. A numbered write
   * (`writeSeq`) applies only if no higher number was applied before it.
   */
  async record(given: InstanceRecord): Promise<RecordResult> {
    const change = distinctRows(given);
    const closed = new Set(change.closedSubscriptions);
    const opened = change.openSubscriptions.filter((s) => !closed.has(s.subscriptionId));
    const ended = change.state === 'completed' || change.state === 'cancelled';
    const rows: Array<{ instances: string | number }> = await this.dataSource.query(
      `WITH upserted AS (
         -- A numbered write applies only over lower numbers: a late one (carried by a job that ran
         -- after the instance wrote again, repeating it) changes nothing, not even below this row.
         -- A child instance concerns the unit its parent concerns (organisation scope), and belongs to its round and office.
         INSERT INTO process_instance (id, definition_key, definition_version, business_key, parent_id, unit_id, round_id, office_id, state, incidents, variables, started_at, ended_at, write_seq, updated_at)
         VALUES ($1, $2, $3, $4, $5::varchar, (SELECT p.unit_id FROM process_instance p WHERE p.id = $5::varchar),
           (SELECT p.round_id FROM process_instance p WHERE p.id = $5::varchar), (SELECT p.office_id FROM process_instance p WHERE p.id = $5::varchar),
           $6, $7, $8::jsonb, to_timestamp($9 / 1000.0), to_timestamp($10 / 1000.0), $18::bigint, now())
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, incidents = EXCLUDED.incidents, variables = EXCLUDED.variables,
           unit_id = COALESCE(process_instance.unit_id, EXCLUDED.unit_id),
           round_id = COALESCE(process_instance.round_id, EXCLUDED.round_id),
           office_id = COALESCE(process_instance.office_id, EXCLUDED.office_id),
           business_key = EXCLUDED.business_key, parent_id = EXCLUDED.parent_id, ended_at = EXCLUDED.ended_at,
           write_seq = COALESCE(EXCLUDED.write_seq, process_instance.write_seq), updated_at = now()
         WHERE EXCLUDED.write_seq IS NULL OR process_instance.write_seq IS NULL OR process_instance.write_seq < EXCLUDED.write_seq
         RETURNING id
       ), opened AS (
         INSERT INTO message_subscription (instance_id, subscription_id, element_id, message_name, correlation_key, created_at)
         SELECT $1, s.subscription_id, s.element_id, s.message_name, s.correlation_key, now()
         FROM jsonb_to_recordset($11::jsonb) AS s(subscription_id text, element_id text, message_name text, correlation_key text)
         WHERE NOT $12 AND EXISTS (SELECT 1 FROM upserted)
         ON CONFLICT DO NOTHING
         RETURNING 1
       ), closed AS (
         DELETE FROM message_subscription WHERE instance_id = $1 AND ($12 OR subscription_id = ANY($13::text[])) AND EXISTS (SELECT 1 FROM upserted)
         RETURNING 1
       ), tasks AS (
         INSERT INTO user_task (instance_id, task_id, element_id, name, definition_key, business_key, assignee, owner, delegation,
           candidate_groups, candidate_users, priority, due_at, follow_up_at, form_id, form_key, warnings, state,
           created_at, claimed_at, ended_at, completed_by, request_id, revision, updated_at)
         SELECT $1, t.task_id, t.element_id, t.name, $2, $4, t.assignee, t.owner, t.delegation,
           t.candidate_groups, t.candidate_users, t.priority, t.due_at, t.follow_up_at, t.form_id, t.form_key, t.warnings, t.state,
           t.created_at, t.claimed_at, t.ended_at, t.completed_by, t.request_id, t.revision, now()
         FROM jsonb_to_recordset($14::jsonb) AS t(task_id text, element_id text, name text, assignee text, owner text, delegation text,
           candidate_groups jsonb, candidate_users jsonb, priority integer, due_at timestamptz, follow_up_at timestamptz, form_id text,
           form_key text, warnings jsonb, state text, created_at timestamptz, claimed_at timestamptz, ended_at timestamptz,
           completed_by text, request_id text, revision integer)
         WHERE EXISTS (SELECT 1 FROM upserted)
         ON CONFLICT (instance_id, task_id) DO UPDATE SET assignee = EXCLUDED.assignee, owner = EXCLUDED.owner, delegation = EXCLUDED.delegation,
           candidate_groups = EXCLUDED.candidate_groups, candidate_users = EXCLUDED.candidate_users, state = EXCLUDED.state,
           claimed_at = EXCLUDED.claimed_at, ended_at = EXCLUDED.ended_at, completed_by = EXCLUDED.completed_by,
           request_id = EXCLUDED.request_id, revision = EXCLUDED.revision, business_key = EXCLUDED.business_key, updated_at = now()
         WHERE user_task.revision < EXCLUDED.revision
         RETURNING 1
       ), assignees AS (
         -- Everyone a task of the instance was assigned to stays on record (a clue's past assignees).
         INSERT INTO instance_assignee (sub, instance_id)
         SELECT DISTINCT t.assignee, $1 FROM jsonb_to_recordset($14::jsonb) AS t(assignee text)
         WHERE t.assignee IS NOT NULL AND EXISTS (SELECT 1 FROM upserted)
         ON CONFLICT DO NOTHING
         RETURNING 1
       ), task_people AS (
         -- Who each task of this instance concerns after this change: the change's own version of
         -- a task unless the table already holds a newer one. Timers on a task carry its people,
         -- so the deadline board finds a member's timers without joining the task table.
         SELECT COALESCE(n.task_id, u.task_id) AS task_id,
           CASE WHEN n.task_id IS NOT NULL AND (u.task_id IS NULL OR u.revision < n.revision) THEN n.assignee ELSE u.assignee END AS assignee,
           CASE WHEN n.task_id IS NOT NULL AND (u.task_id IS NULL OR u.revision < n.revision) THEN n.candidate_groups ELSE u.candidate_groups END AS candidate_groups,
           CASE WHEN n.task_id IS NOT NULL AND (u.task_id IS NULL OR u.revision < n.revision) THEN n.candidate_users ELSE u.candidate_users END AS candidate_users,
           (n.task_id IS NOT NULL AND (u.task_id IS NULL OR u.revision < n.revision)) AS changed
         FROM (SELECT * FROM jsonb_to_recordset($14::jsonb) AS t(task_id text, assignee text, candidate_groups jsonb, candidate_users jsonb, revision integer)) n
         FULL JOIN (SELECT task_id, assignee, candidate_groups, candidate_users, revision FROM user_task
                    WHERE instance_id = $1 AND (task_id IN (SELECT owner_task_id FROM jsonb_to_recordset($15::jsonb) AS x(owner_task_id text))
                      OR task_id IN (SELECT task_id FROM jsonb_to_recordset($14::jsonb) AS y(task_id text)))) u
           ON u.task_id = n.task_id
       ), timers AS (
         INSERT INTO process_timer (instance_id, timer_id, element_id, name, owner_task_id, definition_key, business_key, due_at, state, warning,
           assignee, candidate_groups, candidate_users, updated_at)
         SELECT $1, t.timer_id, t.element_id, t.name, t.owner_task_id, $2, $4, t.due_at, t.state, t.warning,
           p.assignee, COALESCE(p.candidate_groups, '[]'::jsonb), COALESCE(p.candidate_users, '[]'::jsonb), now()
         FROM jsonb_to_recordset($15::jsonb) AS t(timer_id text, element_id text, name text, owner_task_id text, due_at timestamptz, state text, warning text)
         LEFT JOIN task_people p ON p.task_id = t.owner_task_id
         WHERE EXISTS (SELECT 1 FROM upserted)
         ON CONFLICT (instance_id, timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, state = EXCLUDED.state, warning = EXCLUDED.warning,
           business_key = EXCLUDED.business_key, assignee = EXCLUDED.assignee, candidate_groups = EXCLUDED.candidate_groups,
           candidate_users = EXCLUDED.candidate_users, updated_at = now()
         RETURNING 1
       ), timer_people AS (
         -- A task handed over (claimed, assigned, delegated): its other pending timers follow.
         UPDATE process_timer pt SET assignee = p.assignee, candidate_groups = p.candidate_groups, candidate_users = p.candidate_users, updated_at = now()
         FROM task_people p
         WHERE p.changed AND NOT $12 AND EXISTS (SELECT 1 FROM upserted) AND pt.instance_id = $1 AND pt.owner_task_id = p.task_id AND pt.state = 'pending'
           AND pt.timer_id NOT IN (SELECT x.timer_id FROM jsonb_to_recordset($15::jsonb) AS x(timer_id text))
         RETURNING 1
       ), stale_timers AS (
         -- An ended instance has no pending timers, whatever a lost write said.
         UPDATE process_timer SET state = 'cancelled', updated_at = now()
         WHERE $12 AND EXISTS (SELECT 1 FROM upserted) AND instance_id = $1 AND state = 'pending' AND timer_id <> ALL($17::text[])
         RETURNING 1
       ), history AS (
         INSERT INTO instance_history (instance_id, seq, at, kind, element_id, element_instance_id, by, detail)
         SELECT $1, h.seq, h.at, h.kind, h.element_id, h.element_instance_id, h.by, h.detail
         FROM jsonb_to_recordset($16::jsonb) AS h(seq integer, at timestamptz, kind text, element_id text, element_instance_id text, by text, detail text)
         WHERE EXISTS (SELECT 1 FROM upserted)
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM upserted) AS instances, (SELECT count(*) FROM opened) AS opened, (SELECT count(*) FROM closed) AS closed,
         (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM timers) AS timers, (SELECT count(*) FROM stale_timers) AS stale_timers,
         (SELECT count(*) FROM timer_people) AS timer_people,
         (SELECT count(*) FROM history) AS history`,
      [
        change.instanceId,
        change.definition.key,
        change.definition.version,
        change.businessKey,
        change.parentInstanceId,
        change.state,
        change.incidents,
        change.variables === null ? null : JSON.stringify(change.variables),
        change.startedAt,
        change.endedAt,
        JSON.stringify(
          opened.map((s) => ({ subscription_id: s.subscriptionId, element_id: s.elementId, message_name: s.messageName, correlation_key: s.correlationKey })),
        ),
        ended,
        [...closed],
        JSON.stringify(
          change.tasks.map((t) => ({
            task_id: t.taskId,
            element_id: t.elementId,
            name: t.name,
            assignee: t.assignee,
            owner: t.owner,
            delegation: t.delegation,
            candidate_groups: t.candidateGroups,
            candidate_users: t.candidateUsers,
            priority: t.priority,
            due_at: t.dueDate,
            follow_up_at: t.followUpDate,
            form_id: t.formId,
            form_key: t.formKey,
            warnings: t.warnings,
            state: t.state,
            created_at: iso(t.createdAt),
            claimed_at: iso(t.claimedAt),
            ended_at: iso(t.endedAt),
            completed_by: t.completedBy,
            request_id: t.requestId,
            revision: t.revision,
          })),
        ),
        JSON.stringify(
          change.timers.map((t) => ({
            timer_id: t.timerId,
            element_id: t.elementId,
            name: t.name,
            owner_task_id: t.ownerTaskId,
            due_at: iso(t.dueAt),
            state: t.state,
            warning: t.warning,
          })),
        ),
        JSON.stringify(
          change.history.map((h) => ({
            seq: h.seq,
            at: iso(h.at),
            kind: h.kind,
            element_id: h.elementId,
            element_instance_id: h.elementInstanceId,
            by: h.by,
            detail: h.detail,
          })),
        ),
        change.timers.map((t) => t.timerId),
        change.writeSeq ?? null,
      ],
    );
    if (Number(rows[0]?.instances ?? 0) > 0) return { applied: true, storedSeq: change.writeSeq ?? null };
    // Not applied: the row holds this number already (a repeated attempt) or a higher one.
    const stored: Array<{ write_seq: string | null }> = await this.dataSource.query('SELECT write_seq FROM process_instance WHERE id = $1', [change.instanceId]);
    const storedSeq = stored[0]?.write_seq;
    return { applied: false, storedSeq: storedSeq === null || storedSeq === undefined ? null : Number(storedSeq) };
  }

  /** Ids of instances still running (incidents included). */
  async activeIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM process_instance WHERE state IN ('active', 'incident') ORDER BY started_at, id`);
    return rows.map((row) => row.id);
  }

  find(id: string): Promise<ProcessInstance | null> {
    return this.dataSource.getRepository(ProcessInstance).findOneBy({ id });
  }

  /** Instances matching the filter, newest first, with the total count. */
  async list(filter: InstanceFilter): Promise<{ items: ProcessInstance[]; total: number }> {
    const query = this.dataSource
      .getRepository(ProcessInstance)
      .createQueryBuilder('i')
      .select(['i.id', 'i.definitionKey', 'i.definitionVersion', 'i.unitId', 'i.businessKey', 'i.parentId', 'i.state', 'i.incidents', 'i.startedAt', 'i.endedAt', 'i.updatedAt']);
    if (filter.definitionKey !== undefined) query.andWhere('i.definition_key = :key', { key: filter.definitionKey });
    if (filter.state !== undefined) query.andWhere('i.state = :state', { state: filter.state });
    if (filter.businessKey !== undefined) query.andWhere('i.business_key = :businessKey', { businessKey: filter.businessKey });
    if (filter.hiddenKeys && filter.hiddenKeys.length > 0) query.andWhere('i.definition_key NOT IN (:...hiddenKeys)', { hiddenKeys: filter.hiddenKeys });
    if (filter.unit === null) return { items: [], total: 0 };
    if (filter.unit !== undefined) query.andWhere('i.unit_id = :unit', { unit: filter.unit });
    if (filter.onlyKeys !== undefined) {
      if (filter.onlyKeys.length === 0) return { items: [], total: 0 };
      query.andWhere('i.definition_key IN (:...onlyKeys)', { onlyKeys: filter.onlyKeys });
    }
    if (filter.hideRestrictedClues) query.andWhere('NOT EXISTS (SELECT 1 FROM clue c WHERE c.instance_id = i.id AND c.restricted)');
    const [items, total] = await query.orderBy('i.started_at', 'DESC').addOrderBy('i.id', 'ASC').take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items, total };
  }
}

/** What a write did: applied, or not because the instance row holds the number given or a higher one. */
export interface RecordResult {
  applied: boolean;
  /** The number of the last write the read models hold for the instance. */
  storedSeq: number | null;
}

/**
 * One row per task, timer and history entry: a write that repeats an earlier one (a retried
 * refusal, a carried write repeated) may name one twice, which a single upsert cannot apply.
 * The newest revision of a task wins, the last mention of a timer, the first of a history entry.
 */
function distinctRows(change: InstanceRecord): InstanceRecord {
  const tasks = new Map<string, InstanceRecord['tasks'][number]>();
  for (const task of change.tasks) {
    const known = tasks.get(task.taskId);
    if (!known || known.revision <= task.revision) tasks.set(task.taskId, task);
  }
  const timers = new Map<string, InstanceRecord['timers'][number]>();
  for (const timer of change.timers) {
    timers.delete(timer.timerId);
    timers.set(timer.timerId, timer);
  }
  const history = new Map<number, InstanceRecord['history'][number]>();
  for (const entry of change.history) if (!history.has(entry.seq)) history.set(entry.seq, entry);
  if (tasks.size === change.tasks.length && timers.size === change.timers.length && history.size === change.history.length) return change;
  return { ...change, tasks: [...tasks.values()], timers: [...timers.values()], history: [...history.values()] };
}
