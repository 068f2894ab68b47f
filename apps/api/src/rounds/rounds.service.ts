import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import { ConflictError, InvalidRequestError, NotFoundError } from '@xuncha/contracts';
import type { OrgUnit, RoundRecord, UnitKind } from '@xuncha/persistence';
import { INSPECTABLE_UNIT_KINDS, OrganisationRepository, ROUND_KIND_LABELS, UNIT_KIND_LABELS } from '@xuncha/persistence';
import { deadlineOverrides } from '../clues/clue-deadlines.dto';
import { dateField } from '../http/fields';
import type { CreateRoundDto, CreateUnitDto, ListRoundsQuery, RoundDto, RoundPageDto, UnitDto } from './rounds.dto';

function toUnitDto(unit: OrgUnit): UnitDto {
  return { id: unit.id, name: unit.name, kind: unit.kind, kindName: UNIT_KIND_LABELS[unit.kind] ?? unit.kind, parentId: unit.parentId };
}

/** The organisation directory and the inspection rounds. */
@Injectable()
export class RoundsService {
  constructor(private readonly organisation: OrganisationRepository) {}

  async units(kind?: UnitKind): Promise<UnitDto[]> {
    return (await this.organisation.units(kind)).map(toUnitDto);
  }

  /** Adds a unit to the directory (the system administrator). */
  async addUnit(body: CreateUnitDto): Promise<UnitDto> {
    const parentId = body.parentId ?? null;
    if (parentId !== null && (await this.organisation.unitsByIds([parentId])).length === 0) {
      throw new InvalidRequestError('parentId', `parentId names no unit: "${parentId}"`);
    }
    const unit = { id: body.id, name: body.name.trim(), kind: body.kind, parentId };
    if (unit.name === '') throw new InvalidRequestError('name', 'name must not be blank');
    if (!(await this.organisation.addUnit(unit))) throw new ConflictError(`unit "${body.id}" already exists`, { field: 'id', id: body.id });
    return toUnitDto({ ...unit, createdAt: new Date() });
  }

  /**
   * Stores a round (the inspection office): its dates are calendar dates in
   * order, and each inspected unit exists, once, and is of a kind a round inspects. Nothing is
   * stored when any check fails. The same request id again answers the round stored the first time.
   */
  async createRound(caller: Principal, body: CreateRoundDto): Promise<{ created: boolean; round: RoundDto }> {
    const name = body.name.trim();
    if (name === '') throw new InvalidRequestError('name', 'name must not be blank');
    if (dateField('periodEnd', body.periodEnd) < dateField('periodStart', body.periodStart)) {
      throw new InvalidRequestError('periodEnd', `periodEnd (${body.periodEnd}) must not be before periodStart (${body.periodStart})`);
    }
    const found = new Map((await this.organisation.unitsByIds(body.inspectedUnits)).map((unit) => [unit.id, unit]));
    const seen = new Set<string>();
    body.inspectedUnits.forEach((id, index) => {
      const field = `inspectedUnits[${index}]`;
      if (seen.has(id)) throw new InvalidRequestError(field, `${field} names unit "${id}" a second time`);
      seen.add(id);
      const unit = found.get(id);
      if (!unit) throw new InvalidRequestError(field, `${field} names no unit: "${id}"`);
      if (!INSPECTABLE_UNIT_KINDS.includes(unit.kind)) {
        throw new InvalidRequestError(field, `${field} is ${unit.name} (${UNIT_KIND_LABELS[unit.kind]}), which a round does not inspect`);
      }
    });
    const clueDeadlines = deadlineOverrides(body.clueDeadlines);
    const { created, record } = await this.organisation.createRound({
      id: randomUUID(),
      name,
      kind: body.kind,
      periodStart: body.periodStart,
      periodEnd: body.periodEnd,
      requestId: body.requestId ?? null,
      createdBy: caller.sub,
      unitIds: body.inspectedUnits,
      deadlines: Object.keys(clueDeadlines).length > 0 ? clueDeadlines : null,
    });
    return { created, round: await this.toRoundDto(record) };
  }

  async round(id: string): Promise<RoundDto> {
    const record = /^[0-9a-f-]{36}$/.test(id) ? await this.organisation.round(id) : null;
    if (!record) throw new NotFoundError('round', id);
    return this.toRoundDto(record);
  }

  async rounds(query: ListRoundsQuery): Promise<RoundPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.organisation.rounds({ unitId: query.unit, from: query.from, to: query.to, limit: pageSize, offset: (page - 1) * pageSize });
    const units = new Map((await this.organisation.unitsByIds([...new Set(items.flatMap((item) => item.unitIds))])).map((unit) => [unit.id, unit]));
    return { items: items.map((item) => this.roundDto(item, units)), total, totalExact: true, page, pageSize };
  }

  private async toRoundDto(record: RoundRecord): Promise<RoundDto> {
    const units = new Map((await this.organisation.unitsByIds(record.unitIds)).map((unit) => [unit.id, unit]));
    return this.roundDto(record, units);
  }

  private roundDto(record: RoundRecord, units: Map<string, OrgUnit>): RoundDto {
    const { round } = record;
    return {
      id: round.id,
      name: round.name,
      kind: round.kind,
      kindName: ROUND_KIND_LABELS[round.kind] ?? round.kind,
      periodStart: round.periodStart,
      periodEnd: round.periodEnd,
      state: round.state,
      inspectedUnits: record.unitIds.flatMap((id) => {
        const unit = units.get(id);
        return unit ? [toUnitDto(unit)] : [];
      }),
      clueDeadlines: round.deadlines ?? {},
      createdBy: round.createdBy,
      createdAt: round.createdAt.toISOString(),
    };
  }
}
