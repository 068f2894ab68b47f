import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@xuncha/contracts';
import { quarterLabel } from '@xuncha/domain';
import type { ClueSummary } from '@xuncha/persistence';
import { ClueSummaryRepository, OrganisationRepository } from '@xuncha/persistence';
import type { ClueSummaryDto, ClueSummaryPageDto, ListClueSummariesQuery } from './clue-summaries.dto';

/**
 * The quarterly summaries, read by the case office that sends them and the inspection office
 * that receives them (the clues.summaries permission): their figures count restricted clues, which the
 * inspection office transferred, so they go no wider. A summary holds no clue's contents and no
 * restricted clue's line, so nothing here is logged as a read of details.
 */
@Injectable()
export class ClueSummariesService {
  constructor(
    private readonly summaries: ClueSummaryRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  async list(query: ListClueSummariesQuery): Promise<ClueSummaryPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.summaries.list({ roundId: query.round, quarter: query.quarter, limit: pageSize, offset: (page - 1) * pageSize });
    const names = await this.organisation.roundNames([...new Set(items.map((item) => item.roundId))]);
    return { items: items.map((item) => this.toDto(item, names)), total, page, pageSize };
  }

  async one(id: string): Promise<ClueSummaryDto> {
    const summary = await this.find(id);
    return this.toDto(summary, await this.organisation.roundNames([summary.roundId]));
  }

  async workbook(id: string): Promise<{ file: Buffer; name: string }> {
    const summary = await this.find(id);
    const file = await this.summaries.workbook(summary.id);
    if (!file) throw new NotFoundError('quarterly summary', id);
    const round = (await this.organisation.roundNames([summary.roundId])).get(summary.roundId) ?? '巡察轮次';
    return { file, name: `${round}移交问题线索办理情况汇总表（${quarterLabel(summary.quarter)}）.xlsx` };
  }

  private async find(id: string): Promise<ClueSummary> {
    const summary = /^[0-9a-f-]{36}$/.test(id) ? await this.summaries.find(id) : null;
    if (!summary) throw new NotFoundError('quarterly summary', id);
    return summary;
  }

  private toDto(summary: ClueSummary, names: Map<string, string>): ClueSummaryDto {
    return {
      id: summary.id,
      round: { id: summary.roundId, name: names.get(summary.roundId) ?? '' },
      quarter: summary.quarter,
      quarterName: quarterLabel(summary.quarter),
      periodStart: summary.periodStart,
      periodEnd: summary.periodEnd,
      asOf: summary.asOf,
      figures: summary.figures,
      sentOn: summary.sentOn,
      instanceId: summary.instanceId,
      href: `/clue-summaries/${summary.id}/workbook`,
    };
  }
}
