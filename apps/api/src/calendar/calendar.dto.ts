import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class SetOverrideDto {
  @ApiProperty({ enum: ['workday', 'holiday'], description: 'Whether the date is worked (调休上班) or off (放假)' })
  @IsIn(['workday', 'holiday'])
  kind!: 'workday' | 'holiday';

  @ApiPropertyOptional({ example: '2027年元旦', description: 'What makes it so' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  note?: string;
}

export class PublishYearDto {
  @ApiPropertyOptional({ example: '国务院办公厅关于2027年部分节假日安排的通知', description: 'Source of the arrangement' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  note?: string;
}

export class CalendarRangeQuery {
  @ApiProperty({ example: '2026-10-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date (YYYY-MM-DD)' })
  from!: string;

  @ApiProperty({ example: '2026-10-31' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date (YYYY-MM-DD)' })
  to!: string;
}
