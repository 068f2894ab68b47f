import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsIsoDuration } from '../http/is-iso-duration';
import { PageMeta, PageQuery } from '../http/paging.dto';

/** Instance states a list can filter on. */
export const INSTANCE_STATES = ['active', 'completed', 'cancelled', 'incident'] as const;

/** Virtual time for a rehearsal (TEST_CLOCK=1 only): the clock shows `now` and stands still until advanced. */
export class VirtualClockDto {
  @ApiProperty({ example: '2026-10-16T09:00:00+08:00', description: 'What the instance’s clock shows at start' })
  @IsISO8601({ strict: true }, { message: 'virtualClock.now must be an ISO-8601 instant' })
  now!: string;

  @ApiPropertyOptional({ description: 'Virtual milliseconds per real millisecond while timers on the way are slept', default: 1_000_000_000, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  scale?: number;
}

export class AdvanceClockDto {
  @ApiProperty({ example: 'P6M', description: 'How far to move the instance’s virtual clock; the timers due on the way fire in order' })
  @IsIsoDuration()
  by!: string;
}

/** Body of POST /process-instances. */
export class StartInstanceDto {
  @ApiProperty({ description: 'Key (BPMN process id) of a deployed definition', example: 'clue-feedback' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  definitionKey!: string;

  @ApiPropertyOptional({ description: 'Version to run; the latest when omitted. The instance stays on it for life.', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Business key, e.g. the inspection round or clue number', example: '2026-第一轮-市教育局' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional({ description: 'Process variables: a JSON object of at most 256 KB', example: { unitName: '市教育局' } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ type: VirtualClockDto, description: 'Only with TEST_CLOCK=1 (never in production): start on virtual time' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VirtualClockDto)
  virtualClock?: VirtualClockDto;
}

/** Answer of POST /process-instances. */
export class InstanceStartedDto {
  @ApiProperty({ description: 'Instance id (the Temporal workflow id)' })
  id!: string;

  @ApiProperty() definitionKey!: string;
  @ApiProperty() definitionVersion!: number;
}

/** Query of GET /process-instances. */
export class ListInstancesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;

  @ApiPropertyOptional({ enum: INSTANCE_STATES })
  @IsOptional()
  @IsIn(INSTANCE_STATES)
  state?: (typeof INSTANCE_STATES)[number];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) businessKey?: string;
}

/** An element instance that is active now. */
export class ActiveElementDto {
  @ApiProperty({ description: 'Element instance id' }) id!: string;
  @ApiProperty({ description: 'BPMN element id' }) elementId!: string;
  @ApiProperty({ nullable: true, type: String, example: '研究处置意见' }) name!: string | null;
  @ApiProperty({ example: 'userTask' }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'What it waits for: job, user-task, timer, message, child…' }) wait!: string | null;
  @ApiProperty({ description: 'Entered at (ISO, +08:00)' }) since!: string;
}

/** An open incident. */
export class IncidentDto {
  @ApiProperty() id!: string;
  @ApiProperty() elementId!: string;
  @ApiProperty({ nullable: true, type: String }) elementName!: string | null;
  @ApiProperty({ example: 'job-failed' }) type!: string;
  @ApiProperty() message!: string;
  @ApiProperty() createdAt!: string;
}

/** An open incident further down the call chain: in a child instance, or in one of its own children. */
export class ChildIncidentDto {
  @ApiProperty({ description: 'The instance the incident is in (retry it there)' }) instanceId!: string;
  @ApiProperty({ description: 'Key of that instance\'s process' }) processId!: string;
  @ApiProperty() elementId!: string;
  @ApiProperty() incidentId!: string;
  @ApiProperty() message!: string;
}

/** One instance in a list. */
export class InstanceSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty() definitionVersion!: number;
  @ApiProperty({ nullable: true, type: String }) businessKey!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The calling instance, for a call activity child' }) parentId!: string | null;
  @ApiProperty({ enum: INSTANCE_STATES }) state!: string;
  @ApiProperty({ description: 'Open incidents' }) openIncidents!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
}

/** Answer of GET /process-instances. */
export class InstancePageDto extends PageMeta {
  @ApiProperty({ type: [InstanceSummaryDto] }) items!: InstanceSummaryDto[];
}

/** Answer of GET /process-instances/:id. */
export class InstanceDetailDto extends InstanceSummaryDto {
  @ApiProperty({ type: [ActiveElementDto] }) activeElements!: ActiveElementDto[];
  @ApiProperty({ type: 'object', additionalProperties: true }) variables!: Record<string, unknown>;
  @ApiProperty({ type: [IncidentDto] }) incidents!: IncidentDto[];
  @ApiProperty({ type: [ChildIncidentDto], description: 'Incidents in child instances this instance waits on (its state is then incident too)' })
  childIncidents!: ChildIncidentDto[];
}

/** Body of POST /process-instances/:id/variables. */
export class SetVariablesDto {
  @ApiProperty({ description: 'Variables to set: a JSON object of at most 256 KB', example: { threshold: 60 } })
  @IsObject()
  variables!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'An active element instance (see activeElements) whose scope receives them; the process when omitted' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  elementInstanceId?: string;

  @ApiPropertyOptional({ description: 'Set them on that scope itself, rather than on the nearest scope upwards that already has each', default: false })
  @IsOptional()
  @IsBoolean()
  local?: boolean;
}

/** Query of GET /process-instances/:id/forecast. */
export class ForecastQuery {
  @ApiPropertyOptional({ example: 'P1Y', default: 'P1Y', description: 'How far ahead to look (ISO-8601 duration)' })
  @IsOptional()
  @IsIsoDuration()
  horizon?: string;
}
