import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DataSource, In } from 'typeorm';
import type { RoundKind, UnitKind } from '../entities/organisation.entity';
import { InspectionRound, InspectionRoundUnit, OrgUnit } from '../entities/organisation.entity';

/** A round with the units it inspects, in its order. */
export interface RoundRecord {
  round: InspectionRound;
  unitIds: string[];
}

export interface NewRound {
  id: string;
  name: string;
  kind: RoundKind;
  periodStart: string;
  periodEnd: string;
  requestId: string | null;
  createdBy: string;
  unitIds: string[];
  /** Durations of the clue process for the round's clues; null keeps the model's defaults. */
  deadlines: Record<string, string | number> | null;
}

/** The organisation directory and the inspection rounds. */
@Injectable()
export class OrganisationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Units, by kind then id; of one kind when given. */
  units(kind?: UnitKind): Promise<OrgUnit[]> {
    return this.dataSource.getRepository(OrgUnit).find({ where: kind ? { kind } : {}, order: { kind: 'ASC', id: 'ASC' } });
  }

  /** The units with these ids that exist (in no particular order). */
  unitsByIds(ids: string[]): Promise<OrgUnit[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(OrgUnit).findBy({ id: In(ids) });
  }

  /** Adds a unit; false when its id is taken. */
  async addUnit(unit: Pick<OrgUnit, 'id' | 'name' | 'kind' | 'parentId'>): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().insert().into(OrgUnit).values(unit).orIgnore().returning(['id']).execute();
    return (result.raw as unknown[]).length > 0;
  }

  /**
   * Stores a round and its units in one transaction. A request id already used answers the round
   * it stored (created false), whatever else this request says.
   */
  async createRound(round: NewRound): Promise<{ created: boolean; record: RoundRecord }> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(InspectionRound)
        .values({
          id: round.id,
          name: round.name,
          kind: round.kind,
          periodStart: round.periodStart,
          periodEnd: round.periodEnd,
          requestId: round.requestId,
          createdBy: round.createdBy,
          deadlines: round.deadlines,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) {
        const existing = await manager.getRepository(InspectionRound).findOneByOrFail({ requestId: round.requestId ?? '' });
        return { created: false, record: { round: existing, unitIds: await this.unitIdsOf(existing.id, manager.getRepository(InspectionRoundUnit)) } };
      }
      await manager.getRepository(InspectionRoundUnit).insert(round.unitIds.map((unitId, position) => ({ roundId: round.id, unitId, position })));
      const stored = await manager.getRepository(InspectionRound).findOneByOrFail({ id: round.id });
      return { created: true, record: { round: stored, unitIds: round.unitIds } };
    });
  }

  /** The names of these rounds, by id (those that exist). */
  async roundNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(InspectionRound).find({ select: { id: true, name: true }, where: { id: In(ids) } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  async round(id: string): Promise<RoundRecord | null> {
    const round = await this.dataSource.getRepository(InspectionRound).findOneBy({ id });
    if (!round) return null;
    return { round, unitIds: await this.unitIdsOf(id, this.dataSource.getRepository(InspectionRoundUnit)) };
  }

  /** Rounds, latest period first; those inspecting a unit, or overlapping a span of dates, when asked. */
  async rounds(filter: { unitId?: string; from?: string; to?: string; limit: number; offset: number }): Promise<{ items: RoundRecord[]; total: number }> {
    const query = this.dataSource.getRepository(InspectionRound).createQueryBuilder('r');
    if (filter.unitId !== undefined) query.andWhere('EXISTS (SELECT 1 FROM inspection_round_unit u WHERE u.round_id = r.id AND u.unit_id = :unitId)', { unitId: filter.unitId });
    if (filter.from !== undefined) query.andWhere('r.period_end >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('r.period_start <= :to', { to: filter.to });
    const [rounds, total] = await query.orderBy('r.period_start', 'DESC').addOrderBy('r.id', 'ASC').take(filter.limit).skip(filter.offset).getManyAndCount();
    const links =
      rounds.length === 0
        ? []
        : await this.dataSource.getRepository(InspectionRoundUnit).find({ where: { roundId: In(rounds.map((round) => round.id)) }, order: { position: 'ASC' } });
    return {
      items: rounds.map((round) => ({ round, unitIds: links.filter((link) => link.roundId === round.id).map((link) => link.unitId) })),
      total,
    };
  }

  private async unitIdsOf(roundId: string, links: Repository<InspectionRoundUnit>): Promise<string[]> {
    const rows = await links.find({ where: { roundId }, order: { position: 'ASC' } });
    return rows.map((row) => row.unitId);
  }
}
