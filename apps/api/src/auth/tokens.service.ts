import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { UnauthenticatedError } from '@xuncha/contracts';

/** Shape of a token's claims that the engine relies on. */
function principalOf(claims: Record<string, unknown>): Principal {
  const { sub, name, groups } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') throw new UnauthenticatedError('the token has no subject (sub)');
  if (typeof name !== 'string') throw new UnauthenticatedError('the token has no name claim');
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) {
    throw new UnauthenticatedError('the token has no groups claim (a list of group ids)');
  }
  return { sub, name, groups: [...new Set(groups as string[])] };
}

/** Issues and verifies HS256 bearer tokens. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issue(principal: Principal): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    const expiresIn = this.config.auth.tokenTtlSeconds;
    const access_token = this.jwt.sign({ name: principal.name, groups: principal.groups }, { subject: principal.sub, expiresIn });
    return { access_token, token_type: 'Bearer', expires_in: expiresIn };
  }

  /** The caller of an Authorization header; throws {@link UnauthenticatedError} with the reason. */
  verify(header: string | undefined): Principal {
    if (!header) throw new UnauthenticatedError('missing bearer token (Authorization: Bearer <token>)');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthenticatedError('the Authorization header must read "Bearer <token>"');
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(match[1]!, { algorithms: ['HS256'] });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TokenExpiredError') throw new UnauthenticatedError('the token has expired');
      throw new UnauthenticatedError(`the token is not valid (${error instanceof Error ? error.message : String(error)})`);
    }
    return principalOf(claims);
  }
}
