import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Role } from '@xuncha/contracts';
import { ROLES } from '@xuncha/contracts';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { UNIT_ID_PATTERN } from '../http/fields';

const ROLE_IDS = Object.keys(ROLES) as Role[];

/** A person of the directory, as the system administrator keeps it (roles are the security administrator's). */
export class SavePersonDto {
  @ApiProperty({ example: 'wang.fang', description: 'User id: the subject (sub) of their tokens' })
  @Matches(/^[A-Za-z0-9._@-]{1,255}$/, { message: 'sub must be a user id: letters, digits, ".", "_", "@" and "-"' })
  sub!: string;

  @ApiProperty({ example: '王芳' }) @IsString() @Length(1, 100) name!: string;

  @ApiPropertyOptional({ example: 'district-education-bureau', description: 'The unit of the directory the person belongs to' })
  @IsOptional()
  @Matches(UNIT_ID_PATTERN, { message: 'unit must be the id of a unit' })
  unit?: string;
}

export class GrantRoleDto {
  @ApiProperty({ enum: ROLE_IDS, example: 'commission-case-office' }) @IsIn(ROLE_IDS) role!: Role;
  @ApiPropertyOptional({ example: '新任案管室干部' }) @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

export class RoleGrantDto {
  @ApiProperty() id!: string;
  @ApiProperty() sub!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ example: '案件监督管理室' }) roleName!: string;
  @ApiProperty({ enum: ['pending', 'granted', 'refused', 'revoked'] }) state!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
}

export class ListRoleGrantsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'granted', 'refused', 'revoked'] }) @IsOptional() @IsIn(['pending', 'granted', 'refused', 'revoked']) state?: 'pending' | 'granted' | 'refused' | 'revoked';
}
