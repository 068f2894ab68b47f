import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';

/** Who the development token is for; name and groups may be left out for a seeded user. */
export class DevTokenDto {
  @ApiProperty({ example: 'wang.fang', description: 'User id (becomes the token subject)' })
  @IsString()
  @Length(1, 255)
  @Matches(/^\S+$/, { message: 'sub must not contain spaces' })
  sub!: string;

  @ApiPropertyOptional({ example: '王芳', description: 'Display name; defaults to the seeded user\'s' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

  @ApiPropertyOptional({ example: ['commission-case-office'], description: "Candidate groups; defaults to the seeded user's" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  groups?: string[];
}
