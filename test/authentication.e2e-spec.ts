import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { UserRepository } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, type TestApp } from './support/test-app';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function signingKey(kid: string, alg: 'RS256' | 'ES256'): SigningKey {
  const { privateKey, publicKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg } };
}

const ISSUER = 'https://idp.example.gov.cn/realms/xuncha';
const AUDIENCE = 'xuncha-engine';
const CLAIMS = { name: '王芳', groups: ['commission-case-office'] };

describe('authentication', () => {
  let database: TestDatabase;
  let api: TestApp;
  let provider: Server;
  /** The keys the provider publishes now; rotation replaces them. */
  let published: SigningKey[];
  let jwksFetches = 0;

  const sign = (key: SigningKey, claims: Record<string, unknown> = CLAIMS, options: { issuer?: string; audience?: string; expiresIn?: number | undefined; subject?: string } = {}): string =>
    new JwtService().sign(claims, {
      algorithm: key.alg,
      privateKey: key.privateKey as unknown as string,
      keyid: key.kid,
      subject: options.subject ?? 'wang.fang',
      issuer: options.issuer ?? ISSUER,
      audience: options.audience ?? AUDIENCE,
      ...('expiresIn' in options ? (options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }) : { expiresIn: 600 }),
    });
  const me = async (token: string): Promise<{ status: number; body: { message?: string; sub?: string } }> => {
    const response = await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { message?: string; sub?: string } };
  };

  beforeAll(async () => {
    published = [signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256')];
    provider = createServer((_request, response) => {
      jwksFetches++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/certs`;
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false, auth: { issuers: ['xuncha-engine', ISSUER], jwksUrl, jwksRefetchSeconds: 0 } });
    await api.app.get(UserRepository).seed([{ sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] }]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
    await new Promise((resolve) => provider?.close(resolve));
  });

  it("accepts the identity provider's RS256 and ES256 tokens by its published keys", async () => {
    for (const key of published) expect(await me(sign(key))).toMatchObject({ status: 200, body: { sub: 'wang.fang' } });
  });

  it('refuses a token without exp, of another issuer or audience, or signed by an unknown key, with the reason', async () => {
    const [rsa] = published as [SigningKey];
    expect(await me(sign(rsa, CLAIMS, { expiresIn: undefined }))).toMatchObject({ status: 401, body: { message: expect.stringContaining('no expiry (exp)') } });
    expect(await me(sign(rsa, CLAIMS, { issuer: 'https://evil.example.com' }))).toMatchObject({ status: 401, body: { message: expect.stringContaining('issuer invalid') } });
    expect(await me(sign(rsa, CLAIMS, { audience: 'another-system' }))).toMatchObject({ status: 401, body: { message: expect.stringContaining('audience invalid') } });
    const stranger = signingKey('rsa-stranger', 'RS256');
    expect(await me(sign(stranger))).toMatchObject({ status: 401, body: { message: expect.stringContaining('key the identity provider does not publish') } });
    // A key the provider publishes, forged: signed by another private key under its kid.
    expect(await me(sign({ ...stranger, kid: 'rsa-1' }))).toMatchObject({ status: 401, body: { message: expect.stringContaining('invalid signature') } });
    // The shared secret's tokens must name an allowed issuer and the audience too.
    const hs = (issuer: string | undefined, expiresIn: number | undefined): string =>
      new JwtService({ secret: api.config.auth.jwtSecret }).sign(CLAIMS, {
        subject: 'wang.fang',
        audience: AUDIENCE,
        ...(issuer ? { issuer } : {}),
        ...(expiresIn ? { expiresIn } : {}),
      });
    expect(await me(hs('xuncha-engine', 600))).toMatchObject({ status: 200 });
    expect(await me(hs('xuncha-engine', undefined))).toMatchObject({ status: 401, body: { message: expect.stringContaining('no expiry') } });
    expect(await me(hs(undefined, 600))).toMatchObject({ status: 401, body: { message: expect.stringContaining('issuer') } });
    // An unsigned token.
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...CLAIMS, sub: 'x', exp: 9e9 })).toString('base64url')}.`;
    expect(await me(none)).toMatchObject({ status: 401, body: { message: expect.stringContaining('algorithm none is not accepted') } });
  });

  it("judges a provider's caller by the directory's roles, and refuses one the directory does not know", async () => {
    const [rsa] = published as [SigningKey];
    const claimsAdmin = sign(rsa, { name: '王芳', groups: ['security-admin'] });
    expect(await me(claimsAdmin)).toMatchObject({ status: 200, body: { sub: 'wang.fang', groups: ['commission-case-office'] } });
    const grants = await fetch(`${api.url}/role-grants`, { headers: { authorization: `Bearer ${claimsAdmin}` } });
    expect(grants.status).toBe(403);
    const stranger = await me(sign(rsa, CLAIMS, { subject: 'not.in.directory' }));
    expect(stranger).toMatchObject({ status: 403, body: { details: { reason: 'not-in-directory' } } });
  });

  it('follows the provider when it rotates its keys, without a restart', async () => {
    const rotated = signingKey('rsa-2', 'RS256');
    published = [rotated];
    const before = jwksFetches;
    expect(await me(sign(rotated))).toMatchObject({ status: 200 });
    expect(jwksFetches).toBe(before + 1);
    // The retired key is gone from the set: its tokens are refused from now on.
    expect(await me(sign(signingKey('rsa-1', 'RS256')))).toMatchObject({ status: 401 });
  });

  it('limits development tokens to 10 a minute from one address', async () => {
    const answers: number[] = [];
    for (let call = 0; call < 12; call++) answers.push((await api.post('/auth/dev-token', { sub: 'chen.jing', name: '陈静', groups: ['inspection-office'] }, null)).status);
    expect(answers.slice(0, 10).every((status) => status === 200)).toBe(true);
    const refused = await fetch(`${api.url}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'chen.jing', name: '陈静', groups: [] }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers.slice(10)).toEqual([429, 429]);
  });
});
