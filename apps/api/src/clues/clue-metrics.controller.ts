import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { ClueMetricsDto, ClueMetricsQuery, ClueSeriesDto, ClueSeriesQuery } from './clue-metrics.dto';
import { CluesService } from './clues.service';

/** 办结率, 成案率 and the other clue figures, each with the ledger lines behind it. */
@ApiTags('clues')
@ApiBearerAuth()
@Controller('metrics')
export class ClueMetricsController {
  constructor(private readonly clues: CluesService) {}

  @Get('clues')
  @ApiOperation({ summary: 'Clue metrics over the lines the caller may see (bodies that keep or watch the ledger)' })
  @ApiOkResponse({ type: ClueMetricsDto })
  metrics(@Query() query: ClueMetricsQuery, @CurrentUser() caller: Principal): Promise<ClueMetricsDto> {
    return this.clues.metrics(caller, query);
  }

  @Get('clues/series')
  @ApiOperation({ summary: '办结率 and 成案率 by month of receipt, by round or by office, each figure with the ledger lines behind it' })
  @ApiOkResponse({ type: ClueSeriesDto })
  series(@Query() query: ClueSeriesQuery, @CurrentUser() caller: Principal): Promise<ClueSeriesDto> {
    return this.clues.series(caller, query);
  }
}
