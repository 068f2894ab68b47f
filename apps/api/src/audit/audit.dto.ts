import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant } from '../http/fields';
import { PageMeta, PageQuery } from '../http/paging.dto';

/** Filters of GET /audit. */
export class ListAuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Who acted (user id, or "(anonymous)")' }) @IsOptional() @IsString() @MaxLength(255) actor?: string;
  @ApiPropertyOptional({ example: 'POST /tasks/:id/complete', description: 'The act: a route, or a named read such as read-details' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string;
  @ApiPropertyOptional({ example: 'clue:', description: 'Objects starting with this (a path such as /tasks/…, or clue:<id>)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  object?: string;
  @ApiPropertyOptional({ enum: ['success', 'denied', 'failed'] }) @IsOptional() @IsIn(['success', 'denied', 'failed']) result?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+08:00' }) @IsOptional() @IsInstant() to?: string;
}

export class AuditRecordDto {
  @ApiProperty({ description: 'Position in the chain' }) seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String }) route!: string | null;
  @ApiProperty({ nullable: true, type: String }) object!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '任务 核实线索（XS-2026-001）', description: 'What the object is, in Chinese: a clue by its number, a task or instance by its name and business key, a person by name; null for a collection' })
  objectName!: string | null;
  @ApiProperty({ enum: ['success', 'denied', 'failed'] }) result!: string;
  @ApiProperty({ nullable: true, type: Number }) status!: number | null;
  @ApiProperty({ nullable: true, type: String }) source!: string | null;
  @ApiProperty({ description: 'The record\'s hash (SM3 or SHA-256, hex), chained to the one before' }) hash!: string;
}

export class AuditPageDto extends PageMeta {
  @ApiProperty({ type: [AuditRecordDto] }) items!: AuditRecordDto[];
}

export class VerifyAuditQuery {
  @ApiPropertyOptional({ enum: ['first-record', 'last-checkpoint'], default: 'first-record', description: 'Walk the whole kept chain, or only what follows the last checkpoint' })
  @IsOptional()
  @IsIn(['first-record', 'last-checkpoint'])
  from?: 'first-record' | 'last-checkpoint';
}

export class AuditBreakDto {
  @ApiProperty({ nullable: true, type: Number, description: 'The first broken record' }) seq!: number | null;
  @ApiPropertyOptional({ description: 'The checkpoint concerned' }) checkpointId?: number;
  @ApiProperty({ enum: ['altered', 'missing', 'relinked', 'checkpoint-mismatch', 'checkpoint-forged', 'head-forged', 'head-mismatch', 'truncated'] }) reason!: string;
  @ApiProperty() message!: string;
}

export class AuditVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() records!: number;
  @ApiProperty({ nullable: true, type: Number }) firstSeq!: number | null;
  @ApiProperty({ nullable: true, type: Number }) lastSeq!: number | null;
  @ApiProperty() checkpoints!: number;
  @ApiProperty({ enum: ['first-record', 'last-checkpoint'] }) startedAt!: string;
  @ApiProperty({ nullable: true, type: AuditBreakDto }) broken!: AuditBreakDto | null;
}
