import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsCalendarDate, UNIT_ID_PATTERN as UNIT_ID } from '../http/fields';

export class ClueMetricsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'round must be the id of a round' }) round?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID, { message: 'office must be the id of a unit' }) office?: string;
  @ApiPropertyOptional({ description: 'Clues received on or after this day' }) @IsOptional() @IsCalendarDate({ message: 'from must be a date (YYYY-MM-DD)' }) from?: string;
  @ApiPropertyOptional({ description: 'Clues received on or before this day; closed counts up to it' }) @IsOptional() @IsCalendarDate({ message: 'to must be a date (YYYY-MM-DD)' }) to?: string;
}

/** One figure, with the ledger query that lists the clues behind it. */
export class MetricFigureDto {
  @ApiProperty() value!: number;
  @ApiProperty({ example: '/clues?round=…&closed=true', description: 'The ledger lines this figure counts' }) ledger!: string;
}

export class ClueMetricsDto {
  @ApiProperty({ type: MetricFigureDto, description: '受理（收到）线索数' }) received!: MetricFigureDto;
  @ApiProperty({ type: MetricFigureDto, description: '办结（销号）数' }) closed!: MetricFigureDto;
  @ApiProperty({ type: MetricFigureDto, description: '立案数（办结线索中）' }) filed!: MetricFigureDto;
  @ApiProperty({ nullable: true, type: Number, example: 55.1, description: '办结率 = 办结 / 受理，百分比' }) completionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 24.3, description: '成案率 = 立案 / 办结，百分比' }) filingRate!: number | null;
  @ApiProperty({ type: Object, description: '结案处理人次：党纪处分、政务处分、组织处理、留置、移送司法' }) outcomes!: Record<string, { label: string; value: number }>;
  @ApiProperty({ type: MetricFigureDto, description: '反馈逾期的在办线索数' }) feedbackOverdue!: MetricFigureDto;
  @ApiProperty({ description: 'How the figures are counted' }) rules!: string;
}

export const SERIES_BY = ['month', 'round', 'office'] as const;

export class ClueSeriesQuery extends ClueMetricsQuery {
  @ApiPropertyOptional({ enum: SERIES_BY, default: 'month', description: 'month: by month of receipt; round; office' })
  @IsOptional()
  @IsIn(SERIES_BY)
  by?: (typeof SERIES_BY)[number];
}

/** The figures of one month, round or office, each with the ledger lines behind it. */
export class ClueSeriesItemDto {
  @ApiProperty({ example: '2026-10', description: 'YYYY-MM, the round id or the office id' }) key!: string;
  @ApiProperty({ example: '2026年10月' }) label!: string;
  @ApiProperty({ type: MetricFigureDto }) received!: MetricFigureDto;
  @ApiProperty({ type: MetricFigureDto }) closed!: MetricFigureDto;
  @ApiProperty({ type: MetricFigureDto }) filed!: MetricFigureDto;
  @ApiProperty({ nullable: true, type: Number, description: '办结率，百分比' }) completionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '成案率，百分比' }) filingRate!: number | null;
}

export class ClueSeriesDto {
  @ApiProperty({ enum: SERIES_BY }) by!: (typeof SERIES_BY)[number];
  @ApiProperty({ type: [ClueSeriesItemDto] }) items!: ClueSeriesItemDto[];
  @ApiProperty({ description: 'How the figures are counted' }) rules!: string;
}
