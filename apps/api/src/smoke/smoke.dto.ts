import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST /smoke. */
export class StartSmokeDto {
  @ApiPropertyOptional({ description: 'Text the activity stores in its row', maxLength: 500, example: '联调测试' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  message?: string;
}

/** Answer of POST /smoke. */
export class SmokeStartedDto {
  @ApiProperty({ description: 'Workflow id of the smoke run', example: 'smoke-2b0c…' })
  id!: string;
}

/** The row the smoke activity wrote. */
export class SmokeRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty() message!: string;
  @ApiProperty() recordedAt!: string;
}

/** Answer of GET /smoke/:id. */
export class SmokeRunDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Temporal workflow status', example: 'COMPLETED' })
  status!: string;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: SmokeRecordDto }) record!: SmokeRecordDto | null;
}
