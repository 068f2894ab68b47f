import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROUND_KINDS, UNIT_KINDS } from '@xuncha/persistence';
import type { RoundKind, UnitKind } from '@xuncha/persistence';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ClueDeadlinesDto } from '../clues/clue-deadlines.dto';
import { DATE_PATTERN, IsCalendarDate, UNIT_ID_PATTERN as UNIT_ID } from '../http/fields';
import { PageMeta, PageQuery } from '../http/paging.dto';


export class CreateUnitDto {
  @ApiProperty({ example: 'district-audit-bureau', description: 'A stable code: lower-case letters, digits and "-"' })
  @Matches(UNIT_ID, { message: 'id must be lower-case letters, digits and "-" (at most 64)' })
  id!: string;

  @ApiProperty({ example: '区审计局' }) @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: UNIT_KINDS }) @IsIn(UNIT_KINDS) kind!: UnitKind;

  @ApiPropertyOptional({ example: 'town-xinhe', description: 'The unit it belongs to (a village its township)' })
  @IsOptional()
  @Matches(UNIT_ID, { message: 'parentId must be the id of a unit' })
  parentId?: string;
}

export class UnitDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: UnitKind;
  @ApiProperty({ example: '职能部门' }) kindName!: string;
  @ApiProperty({ nullable: true, type: String }) parentId!: string | null;
}

export class ListUnitsQuery {
  @ApiPropertyOptional({ enum: UNIT_KINDS }) @IsOptional() @IsIn(UNIT_KINDS) kind?: UnitKind;
}

export class CreateRoundDto {
  @ApiProperty({ example: '十五届区委第五轮巡察' }) @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: ROUND_KINDS, description: '常规 regular, 专项 special, 机动 mobile, 提级 elevated, 交叉 cross, 联动 linked, 村(社区) village' })
  @IsIn(ROUND_KINDS)
  kind!: RoundKind;

  @ApiProperty({ example: '2026-09-01' }) @Matches(DATE_PATTERN, { message: 'periodStart must be a date (YYYY-MM-DD)' }) periodStart!: string;

  @ApiProperty({ example: '2026-12-31' }) @Matches(DATE_PATTERN, { message: 'periodEnd must be a date (YYYY-MM-DD)' }) periodEnd!: string;

  @ApiProperty({ type: [String], example: ['district-audit-bureau', 'town-xinhe'], description: 'Units the round inspects (inspected units, townships, villages)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'inspectedUnits must name at least one unit' })
  @ArrayMaxSize(200)
  @Matches(UNIT_ID, { each: true, message: 'each of inspectedUnits must be the id of a unit' })
  inspectedUnits!: string[];

  @ApiPropertyOptional({ type: () => ClueDeadlinesDto, description: 'Durations of the clue process for the clues this round transfers (a clue may set its own)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClueDeadlinesDto)
  clueDeadlines?: ClueDeadlinesDto;

  @ApiPropertyOptional({ description: 'The same id again answers the round stored the first time' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  requestId?: string;
}

export class RoundDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROUND_KINDS }) kind!: RoundKind;
  @ApiProperty({ example: '常规巡察' }) kindName!: string;
  @ApiProperty() periodStart!: string;
  @ApiProperty() periodEnd!: string;
  @ApiProperty({ example: 'planned' }) state!: string;
  @ApiProperty({ type: [UnitDto] }) inspectedUnits!: UnitDto[];
  @ApiProperty({ type: () => ClueDeadlinesDto, description: 'The durations its clues run with unless they set their own; empty keeps the model’s defaults' })
  clueDeadlines!: ClueDeadlinesDto;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class ListRoundsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Rounds inspecting this unit' })
  @IsOptional()
  @Matches(UNIT_ID, { message: 'unit must be the id of a unit' })
  unit?: string;

  @ApiPropertyOptional({ description: 'Rounds still running on or after this date' })
  @IsOptional()
  @IsCalendarDate({ message: 'from must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ description: 'Rounds begun on or before this date' })
  @IsOptional()
  @IsCalendarDate({ message: 'to must be a date (YYYY-MM-DD)' })
  to?: string;
}

export class RoundPageDto extends PageMeta {
  @ApiProperty({ type: [RoundDto] }) items!: RoundDto[];
  @ApiProperty({ description: 'Rounds are counted exactly' }) totalExact!: boolean;
}
