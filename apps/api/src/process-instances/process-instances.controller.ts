import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  AdvanceClockDto,
  ForecastQuery,
  InstanceDetailDto,
  InstancePageDto,
  InstanceStartedDto,
  ListInstancesQuery,
  SetVariablesDto,
  StartInstanceDto,
} from './process-instances.dto';
import { InstanceInsightService } from './instance-insight.service';
import { ProcessInstancesService } from './process-instances.service';

/** Start, watch, cancel and repair process instances. */
@ApiTags('process-instances')
@ApiBearerAuth()
@Controller('process-instances')
export class ProcessInstancesController {
  constructor(
    private readonly instances: ProcessInstancesService,
    private readonly insight: InstanceInsightService,
  ) {}

  @Get(':id/history')
  @ApiOperation({ summary: 'Timeline of element instances (entered, left, by whom, outcome, incidents) and the raw history' })
  @ApiNotFoundResponse()
  async history(@Param('id') id: string, @CurrentUser() caller: Principal) {
    await this.instances.row(id, caller);
    return this.insight.timeline(id);
  }

  @Get(':id/forecast')
  @ApiOperation({ summary: 'Predicted deadlines: the engine run ahead on a virtual clock, each open task done on its due date' })
  @ApiNotFoundResponse()
  async forecast(@Param('id') id: string, @Query() query: ForecastQuery, @CurrentUser() caller: Principal) {
    await this.instances.row(id, caller);
    return this.insight.forecast(id, query.horizon ?? 'P1Y');
  }

  @Post()
  @ApiOperation({ summary: 'Start an instance of a deployed definition (the latest version unless one is named)' })
  @ApiCreatedResponse({ type: InstanceStartedDto })
  @ApiBadRequestResponse({ description: 'A field is missing or malformed (variables must be a JSON object)' })
  @ApiNotFoundResponse({ description: 'No such definition key or version' })
  @ApiConflictResponse({ description: 'The process has no none start event' })
  @ApiPayloadTooLargeResponse({ description: 'Variables larger than 256 KB' })
  start(@Body() body: StartInstanceDto, @CurrentUser() caller: Principal): Promise<InstanceStartedDto> {
    return this.instances.start(body, caller);
  }

  @Get()
  @ApiOperation({ summary: 'Instances, newest first, filtered by definition key, state and business key' })
  @ApiOkResponse({ type: InstancePageDto })
  list(@Query() query: ListInstancesQuery, @CurrentUser() caller: Principal): Promise<InstancePageDto> {
    return this.instances.list(query, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'State, active elements, variables and incidents of an instance' })
  @ApiOkResponse({ type: InstanceDetailDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<InstanceDetailDto> {
    return this.instances.get(id, caller);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel an instance: open tasks, timers, jobs and child instances are closed' })
  @ApiOkResponse({ type: InstanceDetailDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The instance has already ended' })
  cancel(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<InstanceDetailDto> {
    return this.instances.cancel(id, caller);
  }

  @Post(':id/clock')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Test clock only (TEST_CLOCK=1, never in production): move the instance’s virtual clock; answers once the timers on the way have fired' })
  @ApiOkResponse({ type: InstanceDetailDto })
  @ApiConflictResponse({ description: 'The instance runs on real time, or has ended' })
  advanceClock(@Param('id') id: string, @Body() body: AdvanceClockDto, @CurrentUser() caller: Principal): Promise<InstanceDetailDto> {
    return this.instances.advanceClock(id, body.by, caller);
  }

  @Post(':id/incidents/:incidentId/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Retry an open incident after fixing its cause' })
  @ApiOkResponse({ type: InstanceDetailDto })
  @ApiNotFoundResponse({ description: 'No such instance, or no such open incident' })
  @ApiConflictResponse({ description: 'The instance has ended' })
  retry(@Param('id') id: string, @Param('incidentId') incidentId: string, @CurrentUser() caller: Principal): Promise<InstanceDetailDto> {
    return this.instances.retryIncident(id, incidentId, caller);
  }

  @Post(':id/variables')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set variables of the instance or of an active scope, e.g. to fix what an incident needs before retrying it' })
  @ApiOkResponse({ type: InstanceDetailDto })
  @ApiBadRequestResponse({ description: 'variables is not a JSON object' })
  @ApiNotFoundResponse({ description: 'No such instance, or the element instance is not active' })
  @ApiConflictResponse({ description: 'The instance has ended' })
  @ApiPayloadTooLargeResponse({ description: 'Variables larger than 256 KB' })
  setVariables(@Param('id') id: string, @Body() body: SetVariablesDto, @CurrentUser() caller: Principal): Promise<InstanceDetailDto> {
    return this.instances.setVariables(id, body, caller);
  }
}
