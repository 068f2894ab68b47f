import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Principal } from '@xuncha/contracts';
import { UnauthenticatedError } from '@xuncha/contracts';
import type { ProviderAlgorithm } from './jwks-keys';
import { JwksKeys, PROVIDER_ALGORITHMS } from './jwks-keys';

/** Shape of a token's claims that the engine relies on. */
function principalOf(claims: Record<string, unknown>, ownToken: boolean): Principal {
  const { sub, name, groups } = claims;
  // Only this server's tokens name a login session of its own; a provider's `sid` is its own business.
  const session = ownToken ? claims.session : undefined;
  if (typeof sub !== 'string' || sub.trim() === '') throw new UnauthenticatedError('the token has no subject (sub)');
  if (typeof name !== 'string') throw new UnauthenticatedError('the token has no name claim');
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) {
    throw new UnauthenticatedError('the token has no groups claim (a list of group ids)');
  }
  if (session !== undefined && typeof session !== 'string') throw new UnauthenticatedError('the token names its login session wrongly');
  return { sub, name, groups: [...new Set(groups as string[])], ...(session === undefined ? {} : { session }) };
}

const isProviderAlgorithm = (alg: unknown): alg is ProviderAlgorithm => typeof alg === 'string' && Object.prototype.hasOwnProperty.call(PROVIDER_ALGORITHMS, alg);

/**
 * Issues HS256 tokens and verifies bearer tokens: HS256 signed with the shared secret, or RS256 /
 * ES256 signed by the identity provider's published keys. Every token must carry `exp`, an issuer
 * of AUTH_ISSUERS and the audience AUTH_AUDIENCE.
 */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly jwks: JwksKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A token for the principal; one of a password login names its session (claim `session`), which is checked on every call. */
  issue(principal: Principal, options: { session?: string } = {}): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    const expiresIn = this.config.auth.tokenTtlSeconds;
    const access_token = this.jwt.sign(
      { name: principal.name, groups: principal.groups, ...(options.session ? { session: options.session } : {}) },
      { subject: principal.sub, expiresIn, issuer: this.config.auth.issuers[0]!, audience: this.config.auth.audience },
    );
    return { access_token, token_type: 'Bearer', expires_in: expiresIn };
  }

  /** The caller of an Authorization header as its token claims; throws {@link UnauthenticatedError} with the reason. */
  async verify(header: string | undefined): Promise<Principal> {
    return (await this.verifyToken(header)).principal;
  }

  /** The token's claims, and whether the identity provider signed it (rather than this server's secret). */
  async verifyToken(header: string | undefined): Promise<{ principal: Principal; provider: boolean }> {
    if (!header) throw new UnauthenticatedError('missing bearer token (Authorization: Bearer <token>)');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthenticatedError('the Authorization header must read "Bearer <token>"');
    const token = match[1]!;
    const decoded = this.jwt.decode<{ header?: { alg?: unknown; kid?: unknown } } | null>(token, { complete: true });
    const alg = decoded?.header?.alg;
    if (alg !== 'HS256' && !isProviderAlgorithm(alg)) throw new UnauthenticatedError(`the token is not valid (signature algorithm ${typeof alg === 'string' ? alg : 'missing'} is not accepted)`);
    const key = alg === 'HS256' ? undefined : await this.jwks.key(typeof decoded?.header?.kid === 'string' ? decoded.header.kid : undefined, alg);
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(token, {
        algorithms: [alg],
        issuer: this.config.auth.issuers as [string, ...string[]],
        audience: this.config.auth.audience,
        ...(key ? { secret: key as unknown as string } : {}),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TokenExpiredError') throw new UnauthenticatedError('the token has expired');
      throw new UnauthenticatedError(`the token is not valid (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof claims.exp !== 'number') throw new UnauthenticatedError('the token has no expiry (exp): tokens without one are refused');
    return { principal: principalOf(claims, alg === 'HS256'), provider: alg !== 'HS256' };
  }
}
