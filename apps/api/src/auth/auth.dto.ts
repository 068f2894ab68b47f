import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PASSWORD_MAX_LENGTH } from '@xuncha/contracts';
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

/** User name and password of the built-in login. */
export class LoginDto {
  @ApiProperty({ example: 'wang.fang' })
  @IsString()
  @Length(1, 255)
  username!: string;

  @ApiProperty({ example: 'Xk7p-Qm3r-Tn8w-Hc2v' })
  @IsString()
  // Counted in UTF-16 units here: a password of PASSWORD_MAX_LENGTH characters takes up to twice as many.
  @Length(1, 2 * PASSWORD_MAX_LENGTH)
  password!: string;
}

export class LoginResultDto {
  @ApiProperty()
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires' })
  expires_in!: number;

  @ApiProperty({ description: 'The session may only change the password until it is changed' })
  must_change_password!: boolean;

  @ApiProperty({ description: 'The session ends after this many seconds without a call' })
  idle_timeout_seconds!: number;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2 * PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ description: 'At least AUTH_PASSWORD_MIN_LENGTH characters mixing three of upper case, lower case, digits and symbols, without the user id' })
  @IsString()
  @Length(1, 1024)
  newPassword!: string;
}

export class PasswordResetDto {
  @ApiProperty()
  sub!: string;

  @ApiProperty({ description: 'Shown once: hand it to the person, who must change it at the next login' })
  temporaryPassword!: string;

  @ApiProperty({ enum: [true] })
  mustChange!: true;
}

export class LoginMethodsDto {
  @ApiProperty({ description: 'Password login (POST /auth/login)' })
  password!: boolean;

  @ApiProperty({ description: 'The development login (POST /auth/dev-token), only in embedded mode' })
  development!: boolean;

  @ApiProperty({ description: 'The shortest password the policy accepts' })
  passwordMinLength!: number;
}
