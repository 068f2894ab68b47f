import * as path from 'node:path';
import { InvalidConfigError, loadConfig, nestLogLevels, temporalLogLevel } from './app-config';

function problemsOf(env: Record<string, string>): Array<{ variable: string; message: string }> {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to refuse the environment');
}

describe('loadConfig', () => {
  it('uses the embedded database and local defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.dataDir).toBe('/srv/app/.data');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.join('/srv/app/.data', 'pglite') });
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'xuncha-engine' });
    expect(config.devServer).toEqual({ port: 7233, uiPort: 8233 });
    expect(config.workflowBundlePath).toBeUndefined();
    expect(config.auth).toEqual({
      jwtSecret: 'xuncha-development-secret-not-for-production',
      tokenTtlSeconds: 28800,
      issuers: ['xuncha-engine'],
      audience: 'xuncha-engine',
      jwksUrl: undefined,
      jwksRefetchSeconds: 30,
      devTokens: true,
      password: { minLength: 10, lockoutAttempts: 5, lockoutMinutes: 30, idleMinutes: 30 },
      providerRoles: 'directory',
    });
    expect(config.host).toBe('127.0.0.1');
    expect(config.audit).toEqual({ hash: 'sm3', hmacKey: 'xuncha-development-audit-key-not-for-production', retentionDays: 180, checkpointEvery: 1000 });
    expect(config.corsOrigins).toEqual([]);
    expect(config.trustProxy).toBeUndefined();
    expect(config.defaultCandidateGroup).toBe('supervisor');
  });

  it('believes the forwarded address of the proxies TRUST_PROXY names', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }, '/srv/app').trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }, '/srv/app').trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(problemsOf({ TRUST_PROXY: 'every one!' })).toEqual([expect.objectContaining({ variable: 'TRUST_PROXY' })]);
  });

  it('reads the password policy, refusing values out of their range by name', () => {
    const config = loadConfig({ AUTH_PASSWORD_MIN_LENGTH: '14', AUTH_LOCKOUT_ATTEMPTS: '3', AUTH_LOCKOUT_MINUTES: '15', AUTH_IDLE_MINUTES: '20' }, '/srv/app');
    expect(config.auth.password).toEqual({ minLength: 14, lockoutAttempts: 3, lockoutMinutes: 15, idleMinutes: 20 });
    expect(problemsOf({ AUTH_PASSWORD_MIN_LENGTH: '6' })).toEqual([expect.objectContaining({ variable: 'AUTH_PASSWORD_MIN_LENGTH', message: 'must be a whole number of characters from 8 to 64' })]);
    expect(loadConfig({ AUTH_PROVIDER_ROLES: 'token' }, '/srv/app').auth.providerRoles).toBe('token');
    expect(problemsOf({ AUTH_PROVIDER_ROLES: 'groups' })).toEqual([expect.objectContaining({ variable: 'AUTH_PROVIDER_ROLES' })]);
    expect(problemsOf({ AUTH_LOCKOUT_ATTEMPTS: '0', AUTH_IDLE_MINUTES: 'ten' }).map((problem) => problem.variable)).toEqual(['AUTH_LOCKOUT_ATTEMPTS', 'AUTH_IDLE_MINUTES']);
  });

  it('offers development tokens and listens on 127.0.0.1 only in the embedded mode outside production', () => {
    const postgres = loadConfig({ DATABASE_URL: 'postgres://db:5432/x' }, '/srv/app');
    expect([postgres.auth.devTokens, postgres.host]).toEqual([false, '0.0.0.0']);
    expect(loadConfig({ HOST: '0.0.0.0' }, '/srv/app').host).toBe('0.0.0.0');
    expect(problemsOf({ HOST: 'a b' })).toEqual([expect.objectContaining({ variable: 'HOST' })]);
  });

  it('reads the issuers, audience and key set of tokens', () => {
    const config = loadConfig({ AUTH_ISSUERS: 'xuncha-engine, https://idp.example.gov.cn/realms/x', AUTH_AUDIENCE: 'xuncha', AUTH_JWKS_URL: 'https://idp.example.gov.cn/certs' }, '/srv/app');
    expect(config.auth).toMatchObject({ issuers: ['xuncha-engine', 'https://idp.example.gov.cn/realms/x'], audience: 'xuncha', jwksUrl: 'https://idp.example.gov.cn/certs' });
    expect(problemsOf({ AUTH_JWKS_URL: 'ftp://x' })).toEqual([expect.objectContaining({ variable: 'AUTH_JWKS_URL' })]);
    expect(problemsOf({ AUTH_ISSUERS: ' , ' })).toEqual([expect.objectContaining({ variable: 'AUTH_ISSUERS' })]);
  });

  it('reads the payload keys: the first encrypts, every one decrypts; 32 bytes each', () => {
    const config = loadConfig({ PAYLOAD_KEYS: 'k2:' + Buffer.alloc(32, 2).toString('base64') + ',k1:' + Buffer.alloc(32, 1).toString('base64'), PAYLOAD_CIPHER: 'sm4-ctr-hmac-sm3' }, '/srv/app');
    expect(config.payload).toEqual({ cipher: 'sm4-ctr-hmac-sm3', currentKeyId: 'k2', keys: { k2: Buffer.alloc(32, 2), k1: Buffer.alloc(32, 1) } });
    expect(loadConfig({}, '/srv/app').payload.currentKeyId).toBe('dev');
    expect(problemsOf({ PAYLOAD_KEYS: 'short:' + Buffer.alloc(16).toString('base64') })).toEqual([expect.objectContaining({ variable: 'PAYLOAD_KEYS' })]);
    expect(problemsOf({ PAYLOAD_KEYS: 'a:' + Buffer.alloc(32).toString('base64') + ',a:' + Buffer.alloc(32).toString('base64') })).toEqual([expect.objectContaining({ variable: 'PAYLOAD_KEYS' })]);
    expect(problemsOf({ PAYLOAD_CIPHER: 'des' })).toEqual([expect.objectContaining({ variable: 'PAYLOAD_CIPHER' })]);
  });

  it('keeps audit records at least 180 days, with SM3 or SHA-256, and real keys in production', () => {
    expect(loadConfig({ AUDIT_HASH: 'sha256', AUDIT_RETENTION_DAYS: '365', AUDIT_HMAC_KEY: 'k'.repeat(32) }, '/srv/app').audit).toMatchObject({ hash: 'sha256', retentionDays: 365, hmacKey: 'k'.repeat(32) });
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '179' })).toEqual([expect.objectContaining({ variable: 'AUDIT_RETENTION_DAYS', message: expect.stringContaining('at least 180') })]);
    expect(problemsOf({ AUDIT_HASH: 'md5' })).toEqual([expect.objectContaining({ variable: 'AUDIT_HASH' })]);
    expect(problemsOf({ AUDIT_HMAC_KEY: 'short' })).toEqual([expect.objectContaining({ variable: 'AUDIT_HMAC_KEY' })]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-chars' })).toEqual([
      expect.objectContaining({ variable: 'AUDIT_HMAC_KEY', message: expect.stringContaining('required in production') }),
      expect.objectContaining({ variable: 'PAYLOAD_KEYS', message: expect.stringContaining('required in production') }),
    ]);
    expect(problemsOf({ CORS_ORIGINS: 'https://console.example.gov.cn/path' })).toEqual([expect.objectContaining({ variable: 'CORS_ORIGINS' })]);
  });

  it('reads the default candidate group of user tasks that name nobody, one group name only', () => {
    expect(loadConfig({ DEFAULT_CANDIDATE_GROUP: 'inspection-office' }, '/srv/app').defaultCandidateGroup).toBe('inspection-office');
    expect(problemsOf({ DEFAULT_CANDIDATE_GROUP: 'a,b' })).toEqual([
      expect.objectContaining({ variable: 'DEFAULT_CANDIDATE_GROUP', message: 'must be one group name, without spaces or commas' }),
    ]);
  });

  it('requires a real signing secret in production and refuses short ones anywhere', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toContainEqual(
      expect.objectContaining({ variable: 'AUTH_JWT_SECRET', message: 'is required in production (at least 32 characters)' }),
    );
    expect(problemsOf({ AUTH_JWT_SECRET: 'short' })).toEqual([
      expect.objectContaining({ variable: 'AUTH_JWT_SECRET', message: 'must be at least 32 characters' }),
    ]);
    expect(problemsOf({ AUTH_TOKEN_TTL_SECONDS: '0' })).toEqual([expect.objectContaining({ variable: 'AUTH_TOKEN_TTL_SECONDS' })]);
    const config = loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(40), AUTH_TOKEN_TTL_SECONDS: '600' }, '/srv/app');
    expect(config.auth).toMatchObject({ jwtSecret: 'x'.repeat(40), tokenTtlSeconds: 600 });
  });

  it('selects Postgres when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app:secret@db:5432/xuncha', DATA_DIR: '/var/lib/x' }, '/srv/app');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://app:secret@db:5432/xuncha' });
    expect(config.dataDir).toBe('/var/lib/x');
  });

  it('allows the test clock outside production only', () => {
    expect(loadConfig({ TEST_CLOCK: '1' }, '/srv/app').testClock).toBe(true);
    expect(loadConfig({}, '/srv/app').testClock).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-chars', DATABASE_URL: 'postgres://db:5432/x', TEST_CLOCK: '1' }, '/srv/app')).toThrow(
      /TEST_CLOCK.*never available in production/,
    );
  });

  it('reads the production topology variables', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'xuncha-prod',
        TEMPORAL_TASK_QUEUE: 'xuncha-engine-v2',
        WORKER_MAX_CACHED_WORKFLOWS: '20000',
        WORKFLOW_BUNDLE_PATH: 'dist/workflow-bundle.js',
        AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
        AUDIT_HMAC_KEY: 'a-production-audit-key-of-at-least-32-chars',
        PAYLOAD_KEYS: 'k2026:a3h1bmNoYS1wcm9kdWN0aW9uLXBheWxvYWQta2V5ISE=',
      },
      '/srv/app',
    );
    expect(config.nodeEnv).toBe('production');
    expect(config.port).toBe(8080);
    expect(config.temporal).toEqual({ address: 'temporal.internal:7233', namespace: 'xuncha-prod', taskQueue: 'xuncha-engine-v2', maxCachedWorkflows: 20_000 });
    expect(config.workflowBundlePath).toBe('/srv/app/dist/workflow-bundle.js');
    expect(config.engine).toEqual({ timeZone: 'Asia/Shanghai', maxMessageTimeToLive: 'P30D' });
    expect(loadConfig({ ENGINE_TIME_ZONE: 'america/new_york', MESSAGE_MAX_TTL: 'P1Y' }, '/srv/app').engine).toEqual({
      timeZone: 'America/New_York',
      maxMessageTimeToLive: 'P1Y',
    });
  });

  it.each([
    ['PORT', 'abc', /TCP port/],
    ['PORT', '70000', /TCP port/],
    ['NODE_ENV', 'staging', /one of development, production, test/],
    ['LOG_LEVEL', 'loud', /one of error, warn, info, debug/],
    ['DATABASE_URL', 'not a url', /must be a URL/],
    ['DATABASE_URL', 'mysql://root@db:3306/x', /postgres:\/\/ scheme/],
    ['DATABASE_URL', 'postgres://db:5432', /name a database/],
    ['TEMPORAL_ADDRESS', 'temporal', /host:port/],
    ['TEMPORAL_NAMESPACE', 'bad namespace', /namespace name/],
    ['TEMPORAL_TASK_QUEUE', 'has space', /without spaces/],
    ['WORKER_MAX_CACHED_WORKFLOWS', '1', /2 to 9999999/],
    ['TEST_CLOCK', 'yes', /1 \(on\) or 0/],
    ['WORKER_MAX_CACHED_WORKFLOWS', 'many', /whole number/],
    ['TEMPORAL_DEV_PORT', '-1', /TCP port/],
    ['TEMPORAL_DEV_UI_PORT', '1.5', /TCP port/],
    ['ENGINE_TIME_ZONE', 'China/Beijing', /IANA time zone/],
    ['ENGINE_TIME_ZONE', '+08:00x', /IANA time zone/],
    ['MESSAGE_MAX_TTL', '30 days', /ISO-8601 duration/],
  ])('refuses %s=%s naming the variable', (variable, value, message) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    expect(problems[0]?.message).toMatch(message);
  });

  it('reports every bad variable at once, with its value, in the message', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'x', TEMPORAL_ADDRESS: 'nope', DATABASE_URL: 'http://x/y' }, '/srv/app');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidConfigError);
    const error = caught as InvalidConfigError;
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'PORT', 'TEMPORAL_ADDRESS']);
    expect(error.message).toContain('PORT="x"');
    expect(error.message).toContain('TEMPORAL_ADDRESS="nope"');
  });

  it('refuses the embedded database where separate processes would share it', () => {
    expect(() => loadConfig({}, '/srv/app', { requireDatabaseUrl: true })).toThrow(/DATABASE_URL="": is required when the API and the worker run as separate processes/);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x' }, '/srv/app', { requireDatabaseUrl: true }).database.kind).toBe('postgres');
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ DATABASE_URL: '  ', PORT: '' }, '/srv/app');
    expect(config.database.kind).toBe('pglite');
    expect(config.port).toBe(3000);
  });
});

describe('log levels', () => {
  it('maps each level to Nest levels including everything more severe', () => {
    expect(nestLogLevels('error')).toEqual(['fatal', 'error']);
    expect(nestLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('debug')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });

  it('maps each level to the Temporal runtime level', () => {
    expect(['error', 'warn', 'info', 'debug'].map((l) => temporalLogLevel(l as never))).toEqual(['ERROR', 'WARN', 'INFO', 'DEBUG']);
  });
});
