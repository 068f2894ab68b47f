import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { ClueCategory, CluePerson, LetterKind } from '../entities/clue.entity';
import type { AuditEntry } from '../audit/audit.repository';
import { AuditRepository } from '../audit/audit.repository';
import { Clue, ClueAccess, ClueAttachment, ClueDetail, ClueGrant, OUTCOME_KINDS } from '../entities/clue.entity';
import { cappedCount, explain } from './read-model-queries';

export interface NewClue {
  id: string;
  roundId: string;
  unitId: string;
  officeId: string;
  category: ClueCategory;
  receivedOn: string;
  restricted: boolean;
  registeredBy: string;
  requestId: string | null;
  summary: string;
  persons: CluePerson[];
  /** Files registered with it, checked and decoded. */
  attachments: Array<Pick<ClueAttachment, 'position' | 'name' | 'contentType' | 'size' | 'sha256' | 'content'>>;
}

/** Who is asking, for the ledger: their id, and whether they belong to a body that keeps or watches it. */
export interface LedgerReader {
  sub: string;
  /** A member of the case office, inspection office, leading group or supervisors: sees every line not restricted. */
  keepsLedger: boolean;
}

export interface LedgerFilter {
  roundId?: string;
  unitId?: string;
  officeId?: string;
  status?: string;
  disposition?: string;
  /** Open clues whose feedback was due before `today` (true), or the others (false). */
  feedbackOverdue?: boolean;
  /** The day overdue is counted against. */
  today?: string;
  closed?: boolean;
  filed?: boolean;
  receivedFrom?: string;
  receivedTo?: string;
  closedFrom?: string;
  closedTo?: string;
  limit: number;
  offset: number;
}

/** The filter's conditions on a clue aliased `a`, with their parameters (named for the alias, so subqueries can repeat them). */
function conditions(filter: Omit<LedgerFilter, 'limit' | 'offset'>, a: string): [string[], Record<string, unknown>] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (sql: string, name?: string, value?: unknown): void => {
    where.push(sql);
    if (name !== undefined) params[name] = value;
  };
  if (filter.roundId !== undefined) add(`${a}.round_id = :roundId`, 'roundId', filter.roundId);
  if (filter.unitId !== undefined) add(`${a}.unit_id = :unitId`, 'unitId', filter.unitId);
  if (filter.officeId !== undefined) add(`${a}.office_id = :officeId`, 'officeId', filter.officeId);
  if (filter.status !== undefined) add(`${a}.status = :status`, 'status', filter.status);
  if (filter.disposition !== undefined) add(`${a}.disposition = :disposition`, 'disposition', filter.disposition);
  if (filter.feedbackOverdue !== undefined) {
    params.today = filter.today;
    add(filter.feedbackOverdue ? `(${a}.closed_on IS NULL AND ${a}.feedback_due < :today)` : `NOT (${a}.closed_on IS NULL AND ${a}.feedback_due IS NOT NULL AND ${a}.feedback_due < :today)`);
  }
  if (filter.closed !== undefined) add(filter.closed ? `${a}.closed_on IS NOT NULL` : `${a}.closed_on IS NULL`);
  if (filter.filed !== undefined) add(filter.filed ? `${a}.filed_on IS NOT NULL` : `${a}.filed_on IS NULL`);
  if (filter.receivedFrom !== undefined) add(`${a}.received_on >= :receivedFrom`, 'receivedFrom', filter.receivedFrom);
  if (filter.receivedTo !== undefined) add(`${a}.received_on <= :receivedTo`, 'receivedTo', filter.receivedTo);
  if (filter.closedFrom !== undefined) add(`${a}.closed_on >= :closedFrom`, 'closedFrom', filter.closedFrom);
  if (filter.closedTo !== undefined) add(`${a}.closed_on <= :closedTo`, 'closedTo', filter.closedTo);
  return [where, params];
}

const COUNT_LIMIT = 1000;

/** The id of the process instance that handles a clue: one per clue, so a repeated start starts nothing. */
export function clueInstanceId(clueId: string): string {
  return `clue-${clueId}`;
}

/** The clues a person holds a grant in force on; `sub` is the placeholder of their id. */
const GRANTED = (sub: string): string => `SELECT g.clue_id FROM clue_grant g WHERE g.grantee = ${sub} AND g.revoked_at IS NULL`;

/**
 * The clues whose process gave a person a task: present and past assignees (instance_assignee
 * keeps everyone a task was ever assigned to) and those who completed one (not mere candidates).
 */
const ASSIGNED = (sub: string): string =>
  `SELECT ta.id FROM clue ta JOIN instance_assignee a ON a.instance_id = ta.instance_id WHERE a.sub = ${sub} UNION ALL SELECT tc.id FROM clue tc JOIN user_task t ON t.instance_id = tc.instance_id WHERE t.completed_by = ${sub}`;

/** The ids of a person's circle (registered, owned, granted, assigned), each part read from its own index. */
function circleOf(sub: string): string {
  return `SELECT r.id FROM clue r WHERE r.registered_by = ${sub} UNION ALL SELECT o.id FROM clue o WHERE o.owner = ${sub} UNION ALL ${GRANTED(sub)} UNION ALL ${ASSIGNED(sub)}`;
}


/** An issued letter about a clue, as its notice shows it. */
export interface IssuedLetterRow {
  id: string;
  kind: LetterKind;
  number: string | null;
  title: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  clueId: string;
  clueNumber: string;
}

/** The reads of a clue's details the trail records. */
export const CLUE_ACCESS_ACTIONS = ['read-details', 'read-letter', 'read-attachment', 'export'] as const;

/** One read of a clue's details, by whom in which roles, through which route. */
export interface ClueAccessEntry {
  clueId: string;
  sub: string;
  roles: string[];
  action: (typeof CLUE_ACCESS_ACTIONS)[number];
  route: string;
}

function auditEntryOf(entry: ClueAccessEntry): AuditEntry {
  return { actor: entry.sub, roles: entry.roles, action: entry.action, route: entry.route, object: `clue:${entry.clueId}`, result: 'success', status: null };
}

/** The clue ledger, the details of each clue, and who read them. */
@Injectable()
export class ClueRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Registers a clue with the next number of the year it was received, its details beside it, in
   * one transaction. A request id used before answers the clue it registered (created false).
   */
  async register(clue: NewClue): Promise<{ created: boolean; clue: Clue }> {
    if (clue.requestId !== null) {
      const known = await this.dataSource.getRepository(Clue).findOneBy({ requestId: clue.requestId });
      if (known) return { created: false, clue: known };
    }
    try {
      const stored = await this.dataSource.transaction(async (manager) => {
        const year = Number(clue.receivedOn.slice(0, 4));
        const [{ last }] = (await manager.query(
          `INSERT INTO clue_number (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = clue_number.last + 1 RETURNING last`,
          [year],
        )) as [{ last: number }];
        const row: Clue = {
          id: clue.id,
          number: `巡移〔${year}〕${last}号`,
          year,
          seq: last,
          roundId: clue.roundId,
          unitId: clue.unitId,
          officeId: clue.officeId,
          category: clue.category,
          receivedOn: clue.receivedOn,
          restricted: clue.restricted,
          status: 'registered',
          owner: null,
          registeredBy: clue.registeredBy,
          requestId: clue.requestId,
          createdAt: new Date(),
          instanceId: clueInstanceId(clue.id),
          disposition: null,
          fourForms: null,
          filedOn: null,
          closedOn: null,
          closeOutcome: null,
          outcomes: null,
          feedbackDue: null,
          feedbackCount: 0,
          changedOn: clue.receivedOn,
        };
        await manager.getRepository(Clue).insert(row);
        await manager.getRepository(ClueDetail).insert({ clueId: clue.id, summary: clue.summary, persons: clue.persons });
        for (const attachment of clue.attachments) {
          await manager.getRepository(ClueAttachment).insert({ ...attachment, id: randomUUID(), clueId: clue.id, uploadedBy: clue.registeredBy });
        }
        return manager.getRepository(Clue).findOneByOrFail({ id: clue.id });
      });
      return { created: true, clue: stored };
    } catch (error) {
      // The same request registered meanwhile by a concurrent call: answer that one.
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (code === '23505' && clue.requestId !== null) {
        const known = await this.dataSource.getRepository(Clue).findOneBy({ requestId: clue.requestId });
        if (known) return { created: false, clue: known };
      }
      throw error;
    }
  }

  /** Whether the instance handles a restricted clue. */
  async restrictedInstance(instanceId: string): Promise<boolean> {
    return this.dataSource.getRepository(Clue).exists({ where: { instanceId, restricted: true } });
  }

  find(id: string): Promise<Clue | null> {
    return this.dataSource.getRepository(Clue).findOneBy({ id });
  }

  detail(id: string): Promise<ClueDetail | null> {
    return this.dataSource.getRepository(ClueDetail).findOneBy({ clueId: id });
  }

  /** The files registered with a clue, in their order, without their content. */
  attachments(clueId: string): Promise<ClueAttachment[]> {
    return this.dataSource.getRepository(ClueAttachment).find({ where: { clueId }, order: { position: 'ASC' } });
  }

  /** One file of a clue with its content. */
  attachment(clueId: string, id: string): Promise<ClueAttachment | null> {
    return this.dataSource
      .getRepository(ClueAttachment)
      .createQueryBuilder('a')
      .addSelect('a.content')
      .where('a.clue_id = :clueId AND a.id = :id', { clueId, id })
      .getOne();
  }

  /** The ledger lines the reader may see, latest received first: a restricted line only to its circle. */
  async ledger(filter: LedgerFilter, reader: LedgerReader): Promise<{ items: Clue[]; total: number; totalExact: boolean }> {
    const [sql, params] = this.ledgerQuery(filter, reader).select('1').getQueryAndParameters();
    const query = this.ledgerQuery(filter, reader, filter.offset + filter.limit);
    const [counted, items] = await Promise.all([
      cappedCount(this.dataSource, sql, params, COUNT_LIMIT),
      query.orderBy('c.received_on', 'DESC').addOrderBy('c.id', 'ASC').take(filter.limit).skip(filter.offset).getMany(),
    ]);
    return { items, total: counted.total, totalExact: counted.exact };
  }

  /** Of these clues, those whose circle holds the person: registrant, owner or a grant in force. */
  /** Letters (提醒函, 督办函) issued on or after `since` about clues in the person's circle, newest first: their notices. */
  async issuedLettersInCircle(sub: string, since: string, limit: number): Promise<IssuedLetterRow[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT l.id, l.kind, l.number, l.title, to_char(l.issued_on, 'YYYY-MM-DD') AS issued_on, c.id AS clue_id, c.number AS clue_number
       FROM clue_letter l JOIN clue c ON c.id = l.clue_id
       WHERE l.status = 'issued' AND l.issued_on >= $2::date AND c.id IN (${circleOf('$1')})
       ORDER BY l.issued_on DESC, l.id LIMIT $3`,
      [sub, since, limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      kind: row.kind as LetterKind,
      number: row.number as string | null,
      title: row.title as string,
      issuedOn: row.issued_on as string,
      clueId: row.clue_id as string,
      clueNumber: row.clue_number as string,
    }));
  }

  async inCircleOf(ids: string[], sub: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT c.id FROM clue c WHERE c.id = ANY($1::uuid[]) AND c.id IN (${circleOf('$2')})`, [ids, sub]);
    return new Set(rows.map((row) => row.id));
  }

  /** The details of these clues, by clue id. */
  async details(ids: string[]): Promise<Map<string, ClueDetail>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(ClueDetail).findBy({ clueId: In(ids) });
    return new Map(rows.map((row) => [row.clueId, row]));
  }

  /** The plans Postgres runs for {@link ledger} (page, then capped count), executed: what the benchmarks print. */
  async explainLedger(filter: LedgerFilter, reader: LedgerReader): Promise<string[]> {
    const query = this.ledgerQuery(filter, reader);
    const [page, pageParams] = this.ledgerQuery(filter, reader, filter.offset + filter.limit).orderBy('c.received_on', 'DESC').addOrderBy('c.id', 'ASC').limit(filter.limit).offset(filter.offset).getQueryAndParameters();
    const [all, allParams] = query.clone().select('1').getQueryAndParameters();
    return [await explain(this.dataSource, page, pageParams), await explain(this.dataSource, `SELECT count(*) FROM (${all} LIMIT ${COUNT_LIMIT + 1}) c`, allParams)];
  }

  /**
   * Corrects registered facts in one transaction, keeping the values replaced in the clue's
   * history (readable, like the details, only by its circle).
   */
  async correct(clueId: string, changes: { summary?: string; persons?: CluePerson[]; category?: ClueCategory }, meta: { reason: string; by: string; onDate: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const clue = await manager.getRepository(Clue).findOne({ where: { id: clueId }, lock: { mode: 'pessimistic_write' } });
      const detail = await manager.getRepository(ClueDetail).findOneBy({ clueId });
      if (!clue || !detail) throw new Error(`no clue ${clueId}`);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (changes.summary !== undefined && changes.summary !== detail.summary) [before.summary, after.summary] = [detail.summary, changes.summary];
      if (changes.persons !== undefined) [before.persons, after.persons] = [detail.persons, changes.persons];
      if (changes.category !== undefined && changes.category !== clue.category) [before.category, after.category] = [clue.category, changes.category];
      if (changes.summary !== undefined || changes.persons !== undefined) {
        await manager.update(ClueDetail, { clueId }, { ...(changes.summary !== undefined ? { summary: changes.summary } : {}), ...(changes.persons !== undefined ? { persons: changes.persons } : {}) });
      }
      if (changes.category !== undefined) await manager.update(Clue, { id: clueId }, { category: changes.category });
      await manager.query(`INSERT INTO clue_event (clue_id, event_key, kind, "by", on_date, data) VALUES ($1, $2, 'corrected', $3, $4, $5)`, [
        clueId,
        `corrected:${randomUUID()}`,
        meta.by,
        meta.onDate,
        JSON.stringify({ reason: meta.reason, before, after }),
      ]);
    });
  }

  /**
   * The counts behind the clue metrics over the lines the reader may see (the rules are in
   * libs/domain's clue-metrics): received in the filter's span, closed (by `closedBy` when given),
   * filed of the closed, outcomes of the closed, and open ones with feedback past due.
   */
  async metrics(filter: Omit<LedgerFilter, 'limit' | 'offset'>, reader: LedgerReader, closedBy: string | null, today: string): Promise<{ received: number; closed: number; filed: number; overdue: number; outcomes: Record<string, number> }> {
    const query = this.ledgerQuery({ ...filter, limit: 0, offset: 0 }, reader);
    const closed = `c.closed_on IS NOT NULL AND (CAST(:closedBy AS date) IS NULL OR c.closed_on <= CAST(:closedBy AS date))`;
    const sums = OUTCOME_KINDS.map((kind) => `COALESCE(SUM((c.outcomes ->> '${kind}')::int) FILTER (WHERE ${closed}), 0) AS "${kind}"`).join(', ');
    const row = (await query
      .select(
        `count(*) AS received, count(*) FILTER (WHERE ${closed}) AS closed, count(*) FILTER (WHERE ${closed} AND c.filed_on IS NOT NULL) AS filed, count(*) FILTER (WHERE c.closed_on IS NULL AND c.feedback_due < CAST(:metricsToday AS date)) AS overdue, ${sums}`,
      )
      .setParameters({ ...query.getParameters(), closedBy, metricsToday: today })
      .getRawOne()) as Record<string, string>;
    return {
      received: Number(row.received),
      closed: Number(row.closed),
      filed: Number(row.filed),
      overdue: Number(row.overdue),
      outcomes: Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, Number(row[kind])])),
    };
  }

  /**
   * The same counts as {@link metrics}, per month of receipt (YYYY-MM), per round or per office,
   * in that order; buckets without clues are absent.
   */
  async metricsSeries(
    filter: Omit<LedgerFilter, 'limit' | 'offset'>,
    reader: LedgerReader,
    closedBy: string | null,
    by: 'month' | 'round' | 'office',
  ): Promise<Array<{ key: string; received: number; closed: number; filed: number }>> {
    const query = this.ledgerQuery({ ...filter, limit: 0, offset: 0 }, reader);
    const closed = `c.closed_on IS NOT NULL AND (CAST(:closedBy AS date) IS NULL OR c.closed_on <= CAST(:closedBy AS date))`;
    const key = by === 'month' ? `to_char(c.received_on, 'YYYY-MM')` : by === 'round' ? 'CAST(c.round_id AS text)' : 'c.office_id';
    const rows = (await query
      .select(`${key} AS key, count(*) AS received, count(*) FILTER (WHERE ${closed}) AS closed, count(*) FILTER (WHERE ${closed} AND c.filed_on IS NOT NULL) AS filed`)
      .groupBy(key)
      .orderBy(key)
      .setParameters({ ...query.getParameters(), closedBy })
      .getRawMany()) as Array<Record<string, string>>;
    return rows.map((row) => ({ key: row.key!, received: Number(row.received), closed: Number(row.closed), filed: Number(row.filed) }));
  }

  /** Records many reads at once (an export) in the audit trail. */
  async logAccesses(entries: ClueAccessEntry[]): Promise<void> {
    await this.audit.append(entries.map(auditEntryOf));
  }

  /**
   * The ledger's rows for the reader. Given `top` (a page ends there), the circle of someone
   * outside the keeping bodies is read as the first `top` of each of its parts in the ledger's
   * order, from indexes in that order: the page then reads about as many rows as it shows.
   */
  private ledgerQuery(filter: LedgerFilter, reader: LedgerReader, top?: number) {
    const query = this.dataSource.getRepository(Clue).createQueryBuilder('c');
    const on = (alias: string): string =>
      conditions(filter, alias)[0]
        .map((condition) => ` AND ${condition}`)
        .join('');
    const ordered = (alias: string, column: string): string =>
      `(SELECT ${alias}.id FROM clue ${alias} WHERE ${alias}.${column} = :sub${on(alias)} ORDER BY ${alias}.received_on DESC, ${alias}.id LIMIT :top)`;
    const [where, params] = conditions(filter, 'c');
    if (reader.keepsLedger) query.andWhere(`(NOT c.restricted OR c.id IN (${circleOf(':sub')}))`, { sub: reader.sub });
    else if (top !== undefined) query.andWhere(`c.id IN (${ordered('r', 'registered_by')} UNION ${ordered('o', 'owner')} UNION ${GRANTED(':sub')} UNION ${ASSIGNED(':sub')})`, { sub: reader.sub, top });
    else query.andWhere(`c.id IN (${circleOf(':sub')})`, { sub: reader.sub });
    for (const condition of where) query.andWhere(condition);
    query.setParameters({ ...query.getParameters(), ...params });
    return query;
  }

  /** Grants access; false when one is already in force for that person. */
  async grant(entry: { clueId: string; grantee: string; reason: string; grantedBy: string }): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().insert().into(ClueGrant).values(entry).orIgnore().returning(['id']).execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Revokes the grant in force for that person; false when there is none. */
  async revoke(clueId: string, grantee: string, revokedBy: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ClueGrant)
      .set({ revokedAt: () => 'now()', revokedBy })
      .where('clue_id = :clueId AND grantee = :grantee AND revoked_at IS NULL', { clueId, grantee })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Every grant of the clue, in force or revoked, oldest first. */
  grants(clueId: string): Promise<ClueGrant[]> {
    return this.dataSource.getRepository(ClueGrant).find({ where: { clueId }, order: { grantedAt: 'ASC', id: 'ASC' } });
  }

  /** Records a read of the clue's details in the audit trail. */
  async logAccess(entry: ClueAccessEntry): Promise<void> {
    await this.audit.append([auditEntryOf(entry)]);
  }

  /**
   * Who read the clue's details: a view of the audit trail (its records about `clue:<id>`), after
   * the reads logged in clue_access before the trail existed.
   */
  async accessLog(clueId: string): Promise<Array<{ sub: string; action: string; route: string; at: Date }>> {
    const before = await this.dataSource.getRepository(ClueAccess).find({ where: { clueId }, order: { at: 'ASC', id: 'ASC' } });
    const trail = await this.audit.about(`clue:${clueId}`, [...CLUE_ACCESS_ACTIONS]);
    return [
      ...before.map((row) => ({ sub: row.sub, action: row.action, route: row.route, at: row.at })),
      ...trail.map((record) => ({ sub: record.actor, action: record.action, route: record.route ?? '', at: new Date(record.at) })),
    ];
  }
}
