import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { DeadlinePageDto, ListDeadlinesQuery } from './deadlines.dto';
import { DeadlinesService } from './deadlines.service';

/** The deadline board supervisors watch. */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Get()
  @ApiOperation({ summary: 'Open tasks with due dates and pending process timers, soonest first, with working days left or overdue' })
  @ApiOkResponse({ type: DeadlinePageDto })
  list(@Query() query: ListDeadlinesQuery, @CurrentUser() caller: Principal): Promise<DeadlinePageDto> {
    return this.deadlines.list(query, caller);
  }
}
