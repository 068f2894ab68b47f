import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { PageMeta, PageQuery } from '../http/paging.dto';
import { NamedRefDto } from './clues.dto';

export class ClueSummaryFiguresDto {
  @ApiProperty({ description: 'Clues of the round received by the quarter’s end' }) received!: number;
  @ApiProperty() receivedInQuarter!: number;
  @ApiProperty({ description: 'Closed (销号) by the quarter’s end' }) closed!: number;
  @ApiProperty() closedInQuarter!: number;
  @ApiProperty({ description: 'Of the closed, those on which a case was filed' }) filed!: number;
  @ApiProperty({ description: 'Open with feedback past due on the day of the summary' }) feedbackOverdue!: number;
  @ApiProperty({ description: 'Restricted clues: counted, not listed' }) restricted!: number;
  @ApiProperty({ nullable: true, type: Number, description: '办结率 (%)' }) completionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '成案率 (%)' }) filingRate!: number | null;
}

export class ClueSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: NamedRefDto }) round!: NamedRefDto;
  @ApiProperty({ example: '2026Q3' }) quarter!: string;
  @ApiProperty({ example: '2026年第三季度' }) quarterName!: string;
  @ApiProperty() periodStart!: string;
  @ApiProperty() periodEnd!: string;
  @ApiProperty({ description: 'The day it was counted' }) asOf!: string;
  @ApiProperty({ type: ClueSummaryFiguresDto }) figures!: ClueSummaryFiguresDto;
  @ApiProperty({ nullable: true, type: String, description: 'The day the case office sent it to the inspection office' }) sentOn!: string | null;
  @ApiProperty({ description: 'The instance of the summarising process that made it' }) instanceId!: string;
  @ApiProperty({ example: '/clue-summaries/…/workbook' }) href!: string;
}

export class ListClueSummariesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'round must be the id of a round' }) round?: string;
  @ApiPropertyOptional({ example: '2026Q3' }) @IsOptional() @Matches(/^\d{4}Q[1-4]$/, { message: 'quarter must name a quarter such as 2026Q3' }) quarter?: string;
}

export class ClueSummaryPageDto extends PageMeta {
  @ApiProperty({ type: [ClueSummaryDto] }) items!: ClueSummaryDto[];
}
