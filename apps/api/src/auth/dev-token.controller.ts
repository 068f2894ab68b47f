import { Body, Controller, Header, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { InvalidRequestError } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { DevTokenDto } from './auth.dto';
import { RateLimit } from './rate-limit';
import { TokensService } from './tokens.service';

/**
 * Tokens for anyone, for trying the product: registered only in the embedded mode (`npm start`
 * without DATABASE_URL, not in production), which listens on 127.0.0.1 unless told otherwise.
 */
@ApiTags('auth')
@Controller()
export class DevTokenController {
  private readonly limit = new RateLimit('development tokens', 10, 60_000);

  constructor(
    private readonly tokens: TokensService,
    private readonly users: UserRepository,
  ) {}

  @Post('auth/dev-token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Issue a token for anyone (embedded mode only; at most 10 a minute per address)' })
  @ApiTooManyRequestsResponse({ description: 'More than 10 tokens a minute from this address' })
  async devToken(@Body() body: DevTokenDto, @Ip() ip: string): Promise<ReturnType<TokensService['issue']>> {
    this.limit.take(ip);
    const known = await this.users.find(body.sub);
    const name = body.name ?? known?.name;
    const groups = body.groups ?? known?.groups;
    if (name === undefined || groups === undefined) {
      throw new InvalidRequestError(name === undefined ? 'name' : 'groups', `"${body.sub}" is not a seeded user: give name and groups`);
    }
    return this.tokens.issue({ sub: body.sub, name, groups });
  }
}
