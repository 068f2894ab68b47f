import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { UnauthenticatedError } from '@xuncha/contracts';

/** Signature algorithms accepted from an identity provider, with the key type each needs. */
export const PROVIDER_ALGORITHMS = { RS256: 'RSA', ES256: 'EC' } as const;
export type ProviderAlgorithm = keyof typeof PROVIDER_ALGORITHMS;

const FETCH_TIMEOUT_MS = 5_000;

interface Jwk {
  kid?: string;
  kty?: string;
  use?: string;
  alg?: string;
  [member: string]: unknown;
}

/**
 * The signing keys of the OpenID Connect provider (AUTH_JWKS_URL), by key id. A token naming a key
 * the set lacks makes it fetched again (the provider rotated its keys), so rotation needs no restart.
 */
@Injectable()
export class JwksKeys {
  private readonly logger = new Logger('Jwks');
  private keys = new Map<string, { key: KeyObject; kty: string }>();
  private fetchedAt = 0;
  private fetching: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The public key a token's header names, for its algorithm; 401 when there is none. */
  async key(kid: string | undefined, alg: ProviderAlgorithm): Promise<KeyObject> {
    const url = this.config.auth.jwksUrl;
    if (!url) throw new UnauthenticatedError(`tokens signed with ${alg} are accepted only from an identity provider (AUTH_JWKS_URL is not set)`);
    if (!kid) throw new UnauthenticatedError('the token names no signing key (kid)');
    let found = this.keys.get(kid);
    // Fetched again for an unknown key at most every AUTH_JWKS_REFETCH_SECONDS: a flood of bad tokens cannot hammer the provider.
    if (!found && Date.now() - this.fetchedAt >= this.config.auth.jwksRefetchSeconds * 1000) {
      await this.refresh(url);
      found = this.keys.get(kid);
    }
    if (!found) throw new UnauthenticatedError(`the token is signed by a key the identity provider does not publish (kid ${kid})`);
    if (found.kty !== PROVIDER_ALGORITHMS[alg]) throw new UnauthenticatedError(`key ${kid} is not a ${PROVIDER_ALGORITHMS[alg]} key, as ${alg} needs`);
    return found.key;
  }

  private refresh(url: string): Promise<void> {
    this.fetching ??= this.fetchKeys(url).finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchKeys(url: string): Promise<void> {
    this.fetchedAt = Date.now();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('the answer has no "keys" list');
      const keys = new Map<string, { key: KeyObject; kty: string }>();
      for (const jwk of body.keys as Jwk[]) {
        if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
        if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
        try {
          keys.set(jwk.kid, { key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), kty: jwk.kty });
        } catch (error) {
          this.logger.warn(`key ${jwk.kid} of ${url} is not a usable public key: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.keys = keys;
    } catch (error) {
      // Keep the keys known so far: a provider briefly away does not sign everyone out.
      this.logger.warn(`the identity provider's keys were not read from ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
