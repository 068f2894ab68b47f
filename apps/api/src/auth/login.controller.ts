import { Body, Controller, Get, Header, HttpCode, Inject, Ip, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { ChangePasswordDto, LoginDto, LoginMethodsDto, LoginResultDto, PasswordResetDto } from './auth.dto';
import type { AuthenticatedRequest } from './current-user.decorator';
import { CurrentUser } from './current-user.decorator';
import { PasswordLoginService } from './password-login.service';

/** Built-in password login (for offices without an identity provider), logout, and password changes and resets. */
@ApiTags('auth')
@Controller()
export class LoginController {
  constructor(
    private readonly logins: PasswordLoginService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('auth/methods')
  @ApiOperation({ summary: 'How one signs in here (for the console\'s login page): the password, and the development login in embedded mode' })
  @ApiOkResponse({ type: LoginMethodsDto })
  methods(): LoginMethodsDto {
    return { password: true, development: this.config.auth.devTokens, passwordMinLength: this.config.auth.password.minLength };
  }

  @Post('auth/login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Sign in with user name and password: a token bound to a session that idles out and ends at logout' })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiUnauthorizedResponse({ description: 'Wrong name or password (details.login "bad-credentials"), the account locked (details.login "locked", with lockedUntil), or a temporary password expired ("temporary-expired")' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address or for this name in a minute' })
  login(@Body() body: LoginDto, @Ip() ip: string, @Req() request: AuthenticatedRequest): Promise<LoginResultDto> {
    // The audit trail names whom a login was tried for, whether or not it passes.
    request.auditActor = body.username;
    return this.logins.login(body.username, body.password, ip ?? null);
  }

  @Post('auth/logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: "End the caller's login session: its token is refused from now on" })
  logout(@CurrentUser() caller: Principal): Promise<{ revoked: boolean }> {
    return this.logins.logout(caller);
  }

  @Post('auth/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change the caller's password (required first after a reset); their other sessions end" })
  async change(@Body() body: ChangePasswordDto, @CurrentUser() caller: Principal): Promise<void> {
    await this.logins.change(caller, body.currentPassword, body.newPassword);
  }

  @Post('users/:sub/password-reset')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Give a person a temporary password (security administrator): unlocks the account, ends their sessions, to be changed at the next login" })
  @ApiOkResponse({ type: PasswordResetDto })
  reset(@Param('sub') sub: string, @CurrentUser() caller: Principal): Promise<PasswordResetDto> {
    return this.logins.reset(caller, sub);
  }
}
