import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '@xuncha/contracts';
import { ROLES } from '@xuncha/contracts';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';

const ROLE_IDS = Object.keys(ROLES) as Role[];

/** A validation finding, as reported by deploy and by the version summary. */
export class FindingDto {
  @ApiProperty({ example: 'gateway-conditions' }) rule!: string;
  @ApiProperty({ enum: ['error', 'warning'] }) severity!: 'error' | 'warning';
  @ApiProperty({ nullable: true, type: String, example: 'Flow_b' }) elementId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '<bpmn:sequenceFlow>' }) elementType!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: Number, example: 12 }) line!: number | null;
}

/** One executable process of a deployed file: its key and the version that now stands for it. */
export class DeployedProcessDto {
  @ApiProperty({ example: 'clue-feedback', description: 'BPMN process id' }) key!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ description: 'SHA-256 of the XML (with the forms its user tasks bind)' }) checksum!: string;
  @ApiProperty({ nullable: true, type: String, example: '问题线索处置与反馈' }) name!: string | null;
  @ApiProperty({ description: 'Whether this deployment stored a new version of this key (false: unchanged, the latest version stands)' })
  created!: boolean;
}

/**
 * Answer of POST /definitions (201 when any process got a new version, 200 when none did).
 * `key`, `version`, `checksum` and `name` are those of the file's first executable process;
 * `processes` lists every executable process of the file, in document order.
 */
export class DeployedDto {
  @ApiProperty({ example: 'clue-feedback', description: 'BPMN process id of the first executable process' }) key!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ description: 'SHA-256 of the XML' }) checksum!: string;
  @ApiProperty({ nullable: true, type: String, example: '问题线索处置与反馈' }) name!: string | null;
  @ApiProperty({ type: [FindingDto] }) warnings!: FindingDto[];
  @ApiProperty() deployedAt!: string;
  @ApiProperty({ type: [DeployedProcessDto], description: 'Every executable process of the file with its key and version' })
  processes!: DeployedProcessDto[];
}

/** A timer start event's schedule. */
export class TimerStartScheduleDto {
  @ApiProperty({ example: 'StartEvent_monthly' }) startEventId!: string;
  @ApiProperty({ nullable: true, type: String, example: '每月初' }) name!: string | null;
  @ApiProperty({ example: { kind: 'cycle', value: 'R/P1M' } }) timer!: { kind: string; value: string };
  @ApiProperty({ description: 'The Temporal Schedule that fires it' }) scheduleId!: string;
  @ApiProperty({ description: 'How often it has fired (for this version)' }) fired!: number;
  @ApiProperty({ nullable: true, type: String }) lastFiredAt!: string | null;
  @ApiProperty({ type: [String], description: 'Its next firings, as the schedule will fire them (empty when none is left)' }) nextFirings!: string[];
}

/** Answer of GET /definitions/:key: the latest version and its timer start schedules. */
export class DefinitionDto {
  @ApiProperty() key!: string;
  @ApiProperty() version!: number;
  @ApiProperty() checksum!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() deployedAt!: string;
  @ApiProperty({ type: [TimerStartScheduleDto] }) schedules!: TimerStartScheduleDto[];
}

/** One row of GET /definitions and GET /definitions/:key/versions. */
export class DefinitionVersionDto {
  @ApiProperty() key!: string;
  @ApiProperty() version!: number;
  @ApiProperty() checksum!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() deployedAt!: string;
}

/** Counts that describe a version at a glance. */
export class DefinitionSummaryDto {
  @ApiProperty() flowNodes!: number;
  @ApiProperty() sequenceFlows!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { userTask: 2, serviceTask: 3 } })
  byType!: Record<string, number>;
}

/** Answer of GET /definitions/:key/versions/:version. */
export class DefinitionVersionDetailDto extends DefinitionVersionDto {
  @ApiProperty({ type: [FindingDto] }) warnings!: FindingDto[];
  @ApiProperty({ type: DefinitionSummaryDto }) summary!: DefinitionSummaryDto;
  @ApiProperty({ description: 'The BPMN XML as deployed' }) xml!: string;
}

/** Roles allowed each action on a definition's instances (PUT /definitions/:key/permissions names every action). */
export class DefinitionPermissionsDto {
  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin'], description: '部署新版本' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  deploy!: Role[];

  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin', 'inspection-office'], description: '发起实例' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  start!: Role[];

  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin', 'inspection-office', 'supervisor'], description: '查看实例及其变量' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  read!: Role[];

  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin'], description: '取消实例' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  cancel!: Role[];

  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin'], description: '重试故障' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  retry!: Role[];

  @ApiProperty({ isArray: true, enum: ROLE_IDS, example: ['process-admin'], description: '修改实例变量' })
  @IsArray()
  @ArrayMaxSize(ROLE_IDS.length)
  @IsIn(ROLE_IDS, { each: true })
  modify!: Role[];
}

/** A definition's rules as they stand. */
export class StoredDefinitionPermissionsDto {
  @ApiProperty({ example: 'clue' }) definitionKey!: string;
  @ApiProperty({ type: DefinitionPermissionsDto }) rules!: DefinitionPermissionsDto;
  @ApiProperty({ description: 'true when the definition has no rules of its own and those of every definition (*) apply' }) inherited!: boolean;
  @ApiProperty({ nullable: true, type: String }) updatedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) updatedAt!: string | null;
}
