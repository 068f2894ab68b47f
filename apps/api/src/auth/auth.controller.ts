import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { CurrentUser } from './current-user.decorator';

/** Who the caller is, and the directory. */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly users: UserRepository) {}

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
