import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClueSummaryDto, ClueSummaryPageDto, ListClueSummariesQuery } from './clue-summaries.dto';
import { ClueSummariesService } from './clue-summaries.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The quarterly summaries of the clue ledger the case office sends to the inspection office (processes/clue-summary.bpmn). */
@ApiTags('clues')
@ApiBearerAuth()
@Controller('clue-summaries')
export class ClueSummariesController {
  constructor(private readonly summaries: ClueSummariesService) {}

  @Get()
  @ApiOperation({ summary: 'Quarterly summaries, latest quarter first (the case office and the inspection office)' })
  @ApiOkResponse({ type: ClueSummaryPageDto })
  list(@Query() query: ListClueSummariesQuery): Promise<ClueSummaryPageDto> {
    return this.summaries.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One quarterly summary with its figures' })
  @ApiOkResponse({ type: ClueSummaryDto })
  one(@Param('id') id: string): Promise<ClueSummaryDto> {
    return this.summaries.one(id);
  }

  @Get(':id/workbook')
  @ApiOperation({ summary: 'A quarterly summary as the .xlsx the case office sends (figures and ledger lines, no clue contents)' })
  @ApiProduces(XLSX)
  async workbook(@Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { file, name } = await this.summaries.workbook(id);
    response.setHeader('Content-Disposition', `attachment; filename="summary.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    return new StreamableFile(file, { type: XLSX, length: file.length });
  }
}
