import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import type { ClueCategory, CluePerson } from '../entities/clue.entity';
import { Clue, ClueAccess, ClueDetail, ClueGrant } from '../entities/clue.entity';
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
  limit: number;
  offset: number;
}

const COUNT_LIMIT = 1000;

/** The clues a person holds a grant in force on; `sub` is the placeholder of their id. */
const GRANTED = (sub: string): string => `SELECT g.clue_id FROM clue_grant g WHERE g.grantee = ${sub} AND g.revoked_at IS NULL`;

/** The ids of a person's circle (registered, owned, granted), each part read from its own index. */
function circleOf(sub: string): string {
  return `SELECT r.id FROM clue r WHERE r.registered_by = ${sub} UNION ALL SELECT o.id FROM clue o WHERE o.owner = ${sub} UNION ALL ${GRANTED(sub)}`;
}

/** The clue ledger, the details of each clue, and who read them. */
@Injectable()
export class ClueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
        };
        await manager.getRepository(Clue).insert(row);
        await manager.getRepository(ClueDetail).insert({ clueId: clue.id, summary: clue.summary, persons: clue.persons });
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

  find(id: string): Promise<Clue | null> {
    return this.dataSource.getRepository(Clue).findOneBy({ id });
  }

  detail(id: string): Promise<ClueDetail | null> {
    return this.dataSource.getRepository(ClueDetail).findOneBy({ clueId: id });
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

  /** Logs many reads at once (an export). */
  async logAccesses(entries: Array<{ clueId: string; sub: string; action: string; route: string }>): Promise<void> {
    if (entries.length > 0) await this.dataSource.getRepository(ClueAccess).insert(entries);
  }

  /**
   * The ledger's rows for the reader. Given `top` (a page ends there), the circle of someone
   * outside the keeping bodies is read as the first `top` of each of its parts in the ledger's
   * order, from indexes in that order: the page then reads about as many rows as it shows.
   */
  private ledgerQuery(filter: LedgerFilter, reader: LedgerReader, top?: number) {
    const query = this.dataSource.getRepository(Clue).createQueryBuilder('c');
    const filters: Array<[string, string, string | undefined]> = [
      ['round_id', 'roundId', filter.roundId],
      ['unit_id', 'unitId', filter.unitId],
      ['office_id', 'officeId', filter.officeId],
      ['status', 'status', filter.status],
    ];
    const on = (alias: string): string =>
      filters
        .filter(([, , value]) => value !== undefined)
        .map(([column, name]) => ` AND ${alias}.${column} = :${name}`)
        .join('');
    const ordered = (alias: string, column: string): string =>
      `(SELECT ${alias}.id FROM clue ${alias} WHERE ${alias}.${column} = :sub${on(alias)} ORDER BY ${alias}.received_on DESC, ${alias}.id LIMIT :top)`;
    if (reader.keepsLedger) query.andWhere(`(NOT c.restricted OR c.id IN (${circleOf(':sub')}))`, { sub: reader.sub });
    else if (top !== undefined) query.andWhere(`c.id IN (${ordered('r', 'registered_by')} UNION ${ordered('o', 'owner')} UNION ${GRANTED(':sub')})`, { sub: reader.sub, top });
    else query.andWhere(`c.id IN (${circleOf(':sub')})`, { sub: reader.sub });
    for (const [column, name, value] of filters) if (value !== undefined) query.andWhere(`c.${column} = :${name}`, { [name]: value });
    return query;
  }

  /** Whether the person holds a grant in force on the clue. */
  async granted(clueId: string, sub: string): Promise<boolean> {
    return (await this.dataSource.getRepository(ClueGrant).countBy({ clueId, grantee: sub, revokedAt: IsNull() })) > 0;
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

  async logAccess(entry: { clueId: string; sub: string; action: string; route: string }): Promise<void> {
    await this.dataSource.getRepository(ClueAccess).insert(entry);
  }

  accessLog(clueId: string): Promise<ClueAccess[]> {
    return this.dataSource.getRepository(ClueAccess).find({ where: { clueId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
