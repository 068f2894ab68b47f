import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { ForbiddenError, unitScope } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { PasswordLoginService } from './password-login.service';
import { TokensService } from './tokens.service';

/** Who is calling, as far as the server trusts it, and whether they must change their password first. */
export interface Caller {
  principal: Principal;
  mustChangePassword: boolean;
}

/**
 * Turns a bearer token into the caller the permission model judges:
 * - a password login's token, by its session (open, not idle) and the directory's roles;
 * - an identity provider's token, by the directory's roles (AUTH_PROVIDER_ROLES=directory, the
 *   default: someone the directory does not know is refused) or by its own `groups` claim;
 * - a token signed with the server's secret (issued by it, or by tests), by its claims.
 * Whom a unit confines, the directory says which unit, whatever the token says.
 */
@Injectable()
export class CallersService {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UserRepository,
    private readonly logins: PasswordLoginService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async authenticate(header: string | undefined): Promise<Caller> {
    const { principal: claimed, provider } = await this.tokens.verifyToken(header);
    let principal = claimed;
    let mustChangePassword = false;
    // The directory's unit of the caller, once read (undefined: not read yet).
    let unit: string | null | undefined;
    if (claimed.session !== undefined) {
      const caller = await this.logins.caller(claimed.sub, claimed.session);
      ({ principal, mustChange: mustChangePassword, unit } = caller);
    } else if (provider && this.config.auth.providerRoles === 'directory') {
      const person = await this.users.find(claimed.sub);
      if (!person) {
        throw new ForbiddenError(`${claimed.sub} is signed in by the identity provider but not in the directory: the system administrator adds people first`, { reason: 'not-in-directory' });
      }
      principal = { sub: person.sub, name: person.name, groups: person.groups };
      unit = person.unit ?? null;
    }
    if (unitScope(principal) !== undefined) principal.unit = unit !== undefined ? unit : ((await this.users.find(principal.sub))?.unit ?? null);
    return { principal, mustChangePassword };
  }
}
