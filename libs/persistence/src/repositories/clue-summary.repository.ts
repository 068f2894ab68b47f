import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SummaryFigures } from '@xuncha/domain';
import type { Clue } from '../entities/clue.entity';
import { ClueSummary } from '../entities/clue.entity';

/** A clue's line as a summary lists it, with its unit's and office's names. */
export type SummaryClue = Pick<Clue, 'number' | 'category' | 'receivedOn' | 'status' | 'disposition' | 'feedbackCount' | 'feedbackDue' | 'filedOn' | 'closedOn' | 'closeOutcome'> & {
  unitName: string;
  officeName: string;
};


/**
 * The quarterly summaries of the clue ledger (see CLUE_SUMMARY_RULES in libs/domain for how
 * they count): the rounds a quarter concerns, each round's counts and lines, and the workbooks
 * made, one per round and summarising instance.
 */
@Injectable()
export class ClueSummaryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rounds with a clue received by the quarter's end and not closed before it began, oldest round first. */
  async roundsOf(start: string, end: string): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(
      `SELECT r.id, r.name FROM inspection_round r
       WHERE EXISTS (SELECT 1 FROM clue c WHERE c.round_id = r.id AND c.received_on <= $2 AND (c.closed_on IS NULL OR c.closed_on >= $1))
       ORDER BY r.period_start, r.name, r.id`,
      [start, end],
    );
  }

  /** A round's counts for the quarter; overdue feedback as of `asOf`. */
  async counts(roundId: string, start: string, end: string, asOf: string): Promise<SummaryFigures> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) AS received,
         count(*) FILTER (WHERE c.received_on >= $2) AS received_in_quarter,
         count(*) FILTER (WHERE c.closed_on <= $3) AS closed,
         count(*) FILTER (WHERE c.closed_on BETWEEN $2 AND $3) AS closed_in_quarter,
         count(*) FILTER (WHERE c.closed_on <= $3 AND c.filed_on IS NOT NULL) AS filed,
         count(*) FILTER (WHERE c.closed_on IS NULL AND c.feedback_due < $4) AS overdue,
         count(*) FILTER (WHERE c.restricted) AS restricted
       FROM clue c WHERE c.round_id = $1 AND c.received_on <= $3`,
      [roundId, start, end, asOf],
    )) as Array<Record<string, string>>;
    return {
      received: Number(row!.received),
      receivedInQuarter: Number(row!.received_in_quarter),
      closed: Number(row!.closed),
      closedInQuarter: Number(row!.closed_in_quarter),
      filed: Number(row!.filed),
      feedbackOverdue: Number(row!.overdue),
      restricted: Number(row!.restricted),
    };
  }

  /** A round's clues received by the quarter's end, restricted ones left out, in the order of their numbers. */
  async lines(roundId: string, end: string): Promise<SummaryClue[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.number, c.category, to_char(c.received_on, 'YYYY-MM-DD') AS "receivedOn", c.status, c.disposition,
         c.feedback_count AS "feedbackCount", to_char(c.feedback_due, 'YYYY-MM-DD') AS "feedbackDue",
         to_char(c.filed_on, 'YYYY-MM-DD') AS "filedOn", to_char(c.closed_on, 'YYYY-MM-DD') AS "closedOn", c.close_outcome AS "closeOutcome",
         u.name AS "unitName", o.name AS "officeName"
       FROM clue c JOIN org_unit u ON u.id = c.unit_id JOIN org_unit o ON o.id = c.office_id
       WHERE c.round_id = $1 AND c.received_on <= $2 AND NOT c.restricted
       ORDER BY c.year, c.seq`,
      [roundId, end],
    )) as SummaryClue[];
    return rows;
  }

  /** The summaries an instance made, in the order they were stored. */
  ofInstance(instanceId: string): Promise<ClueSummary[]> {
    return this.dataSource.getRepository(ClueSummary).find({ where: { instanceId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Stores a summary unless the instance made one for the round already (a retried job): the stored one's id. */
  async save(summary: Omit<ClueSummary, 'createdAt' | 'sentOn'>): Promise<string> {
    await this.dataSource.createQueryBuilder().insert().into(ClueSummary).values({ ...summary, sentOn: null }).orIgnore().execute();
    const stored = await this.dataSource.getRepository(ClueSummary).findOneByOrFail({ instanceId: summary.instanceId, roundId: summary.roundId });
    return stored.id;
  }

  /** Records the day a summary was sent; a second record keeps the first day. */
  async sent(id: string, on: string): Promise<boolean> {
    const result = await this.dataSource.query(`UPDATE clue_summary SET sent_on = COALESCE(sent_on, $2) WHERE id = $1 RETURNING id`, [id, on]);
    return (result as unknown[][])[0]!.length > 0;
  }

  find(id: string): Promise<ClueSummary | null> {
    return this.dataSource.getRepository(ClueSummary).findOneBy({ id });
  }

  /** A summary's workbook. */
  async workbook(id: string): Promise<Buffer | null> {
    const row = await this.dataSource.getRepository(ClueSummary).createQueryBuilder('s').addSelect('s.workbook').where('s.id = :id', { id }).getOne();
    return row?.workbook ?? null;
  }

  /** Summaries, latest quarter first, of a round and quarter when given. */
  async list(filter: { roundId?: string; quarter?: string; limit: number; offset: number }): Promise<{ items: ClueSummary[]; total: number }> {
    const query = this.dataSource.getRepository(ClueSummary).createQueryBuilder('s');
    if (filter.roundId) query.andWhere('s.round_id = :roundId', { roundId: filter.roundId });
    if (filter.quarter) query.andWhere('s.quarter = :quarter', { quarter: filter.quarter });
    const [items, total] = await query.orderBy('s.quarter', 'DESC').addOrderBy('s.created_at', 'DESC').addOrderBy('s.id').take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items, total };
  }
}
