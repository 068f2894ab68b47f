import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClueCategory } from '@xuncha/persistence';
import { CLUE_CATEGORIES } from '@xuncha/persistence';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { DATE_PATTERN as DATE, UNIT_ID_PATTERN as UNIT_ID } from '../http/fields';
import { PageMeta, PageQuery } from '../http/paging.dto';


export class CluePersonDto {
  @ApiProperty({ example: '王某' }) @IsString() @Length(1, 50) name!: string;
  @ApiProperty({ example: '区教育局副局长' }) @IsString() @MaxLength(100) position!: string;
}

export class RegisterClueDto {
  @ApiProperty({ description: 'The round that transfers the clue' }) @IsUUID('all', { message: 'round must be the id of a round' }) round!: string;

  @ApiProperty({ example: 'district-education-bureau', description: 'The inspected unit it concerns (one of the round’s)' })
  @Matches(UNIT_ID, { message: 'unit must be the id of a unit' })
  unit!: string;

  @ApiProperty({ example: 'commission-case-office', description: 'The office of the discipline commission it goes to' })
  @Matches(UNIT_ID, { message: 'office must be the id of a unit' })
  office!: string;

  @ApiProperty({ enum: CLUE_CATEGORIES }) @IsIn(CLUE_CATEGORIES) category!: ClueCategory;

  @ApiProperty({ description: 'What the clue says (kept from everyone outside its circle)' }) @IsString() @Length(1, 5000) summary!: string;

  @ApiProperty({ type: [CluePersonDto], description: 'The persons it concerns, with their positions' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CluePersonDto)
  persons!: CluePersonDto[];

  @ApiProperty({ example: '2026-10-16', description: 'The day the clue was received' })
  @Matches(DATE, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
  receivedOn!: string;

  @ApiPropertyOptional({ description: 'Restricted (边巡边移, or marked so): even its ledger line is shown only to its circle', default: false })
  @IsOptional()
  @IsBoolean()
  restricted?: boolean;

  @ApiPropertyOptional({ description: 'The same id again answers the clue registered the first time' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  requestId?: string;
}

export class NamedRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

/** A ledger line: names no one and tells nothing of what happened. */
export class ClueLineDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '巡移〔2026〕12号' }) number!: string;
  @ApiProperty({ type: NamedRefDto }) round!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) unit!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) office!: NamedRefDto;
  @ApiProperty({ enum: CLUE_CATEGORIES }) category!: ClueCategory;
  @ApiProperty({ example: '违反党纪' }) categoryName!: string;
  @ApiProperty() receivedOn!: string;
  @ApiProperty() restricted!: boolean;
  @ApiProperty({ example: 'registered' }) status!: string;
  @ApiProperty({ example: '已登记' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty() registeredBy!: string;
}

/** The whole record, for the clue's circle. */
export class ClueDetailDto extends ClueLineDto {
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [CluePersonDto] }) persons!: CluePersonDto[];
}

export class ListCluesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'round must be the id of a round' }) round?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID, { message: 'unit must be the id of a unit' }) unit?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID, { message: 'office must be the id of a unit' }) office?: string;
  @ApiPropertyOptional({ example: 'registered' }) @IsOptional() @IsString() @MaxLength(24) status?: string;
}

export class CluePageDto extends PageMeta {
  @ApiProperty({ type: [ClueLineDto] }) items!: ClueLineDto[];
  @ApiProperty({ description: 'False when the total is an estimate (past 1,000 lines)' }) totalExact!: boolean;
}

export class ClueAccessDto {
  @ApiProperty() sub!: string;
  @ApiProperty({ example: 'read-details' }) action!: string;
  @ApiProperty({ example: 'GET /clues/:id' }) route!: string;
  @ApiProperty() at!: string;
}

export class GrantClueDto {
  @ApiProperty({ example: 'qian.hao', description: 'Who may read the details from now on' })
  @Matches(/^\S{1,255}$/, { message: 'user must be a user id (no spaces)' })
  user!: string;

  @ApiProperty({ example: '协助初步核实' }) @IsString() @Length(1, 200) reason!: string;
}

export class ClueGrantDto {
  @ApiProperty() user!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() grantedBy!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}
