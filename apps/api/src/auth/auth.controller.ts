import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { ForbiddenError, InvalidRequestError } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { DevTokenDto } from './auth.dto';
import { CurrentUser } from './current-user.decorator';
import { TokensService } from './tokens.service';

/** Tokens for development and demonstrations, and who the caller is. */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokensService,
    private readonly users: UserRepository,
  ) {}

  @Post('auth/dev-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a token for anyone (development only; refused with 403 when NODE_ENV=production)' })
  async devToken(@Body() body: DevTokenDto): Promise<ReturnType<TokensService['issue']>> {
    if (this.config.nodeEnv === 'production') {
      throw new ForbiddenError('development tokens are not issued in production; use your identity provider', { reason: 'production' });
    }
    const known = await this.users.find(body.sub);
    const name = body.name ?? known?.name;
    const groups = body.groups ?? known?.groups;
    if (name === undefined || groups === undefined) {
      throw new InvalidRequestError(name === undefined ? 'name' : 'groups', `"${body.sub}" is not a seeded user: give name and groups`);
    }
    return this.tokens.issue({ sub: body.sub, name, groups });
  }

  @Get('auth/me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller as the token names them' })
  me(@CurrentUser() principal: Principal): Principal {
    return principal;
  }

  @Get('users')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The user directory (people tasks may be assigned to)' })
  list(): Promise<Principal[]> {
    return this.users.list();
  }
}
