import * as path from 'node:path';

/** Where the relational data lives: a Postgres server, or PGlite embedded in the process. */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string };

/** Connection to a Temporal frontend and the queue this deployment's workers poll. */
export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /**
   * Instances a worker keeps in memory between their workflow tasks (WORKER_MAX_CACHED_WORKFLOWS);
   * unset, the SDK's default from the heap size. An instance not kept is replayed from its history
   * when it next moves: slower, never wrong.
   */
  maxCachedWorkflows?: number;
}

/** Settings of the local all-in-one mode (`npm start`), which starts its own Temporal dev server. */
export interface DevServerConfig {
  port: number;
  uiPort: number;
}

/**
 * Bearer tokens: JWTs that carry `exp`, an allowed issuer and the audience, signed with the shared
 * secret (HS256) or by an OpenID Connect provider whose keys are read from its JWKS (RS256, ES256).
 */
export interface AuthConfig {
  jwtSecret: string;
  /** Lifetime of tokens this server issues. */
  tokenTtlSeconds: number;
  /** Issuers whose tokens are accepted (AUTH_ISSUERS); the first is the one this server's tokens name. */
  issuers: string[];
  /** The audience every token must name (AUTH_AUDIENCE). */
  audience: string;
  /** The identity provider's key set (AUTH_JWKS_URL), fetched again when a token names a key it lacks. */
  jwksUrl: string | undefined;
  /** At most one such fetch in this many seconds (AUTH_JWKS_REFETCH_SECONDS), so unknown keys cannot flood the provider. */
  jwksRefetchSeconds: number;
  /** POST /auth/dev-token exists: only in the embedded mode (no DATABASE_URL) outside production. */
  devTokens: boolean;
  /** Built-in password login (POST /auth/login), for offices without an identity provider. */
  password: PasswordPolicy;
  /**
   * Where the roles of a provider's token come from (AUTH_PROVIDER_ROLES): the directory (default:
   * the caller must be in it, and grants pass its two-administrator rule), or the token's `groups`
   * claim (the provider then keeps the separation of the administrators).
   */
  providerRoles: 'directory' | 'token';
}

/** Password login: the policy of passwords, lockout after failures, and idle sessions. */
export interface PasswordPolicy {
  /** Shortest password accepted (AUTH_PASSWORD_MIN_LENGTH, 8 to 64); it must also mix three of upper case, lower case, digits and symbols. */
  minLength: number;
  /** Failed logins in a row that lock the account (AUTH_LOCKOUT_ATTEMPTS). */
  lockoutAttempts: number;
  /** How long a locked account stays locked (AUTH_LOCKOUT_MINUTES). */
  lockoutMinutes: number;
  /** A login session unused this long ends (AUTH_IDLE_MINUTES). */
  idleMinutes: number;
}

/** The audit trail: hash-chained records and signed checkpoints. */
export interface AuditConfig {
  /** Hash of the chain (AUDIT_HASH): SM3 (GB/T 32905) by default, SHA-256 where asked. */
  hash: 'sm3' | 'sha256';
  /** Key of the checkpoints' HMAC (AUDIT_HMAC_KEY); production refuses to start without one. */
  hmacKey: string;
  /** Days records are kept before they may be pruned (AUDIT_RETENTION_DAYS, at least 180: 网络安全法 §21). */
  retentionDays: number;
  /** A checkpoint is signed after this many records (AUDIT_CHECKPOINT_EVERY) and at least every ten minutes with any. */
  checkpointEvery: number;
}

/** Encryption of what Temporal stores (PAYLOAD_KEYS, PAYLOAD_CIPHER). */
export interface PayloadConfig {
  cipher: 'aes-256-gcm' | 'sm4-ctr-hmac-sm3';
  /** The key new payloads are encrypted with: the first of PAYLOAD_KEYS. */
  currentKeyId: string;
  /** Every key by id, 32 bytes each: old ones stay to decrypt what they encrypted. */
  keys: Record<string, Buffer>;
}

/** How the engine runs instances. */
export interface EngineConfig {
  /**
   * IANA time zone in which date-times without an offset are read and calendar durations,
   * cycles and cron expressions run; recorded in each instance when it starts.
   */
  timeZone: string;
  /** The longest time-to-live a published message may ask for (ISO-8601 duration). */
  maxMessageTimeToLive: string;
}

/** Verbosity of Nest and the Temporal runtime. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The validated configuration every entry point starts from. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: LogLevel;
  port: number;
  /** Address the HTTP server listens on (HOST): 127.0.0.1 in the embedded mode, every interface otherwise. */
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  temporal: TemporalConfig;
  devServer: DevServerConfig;
  auth: AuthConfig;
  audit: AuditConfig;
  payload: PayloadConfig;
  engine: EngineConfig;
  /** Where form-js schemas (*.form) for `zeebe:formDefinition formId` are looked up at deployment. */
  formsDir: string;
  /** The shipped processes (*.bpmn), deployed when the API starts (PROCESSES_DIR). */
  processesDir: string;
  /** The built console (CONSOLE_DIR, default dist/console), served under /console/. */
  consoleDir: string;
  /**
   * TEST_CLOCK=1: instances may be started on a virtual clock and their clock advanced through the
   * API, to rehearse months in seconds. Refused in production.
   */
  testClock: boolean;
  /**
   * The candidate group a user task is offered to when its definition names no assignee, candidate
   * group or candidate user (Camunda 8 deploys such tasks; here somebody must still see them).
   */
  defaultCandidateGroup: string;
  /** The issuing authority printed on letters about slow clues (LETTER_AUTHORITY). */
  letterAuthority: string;
  /** Pre-built workflow bundle (production); when absent the worker bundles `workflows/` at start. */
  workflowBundlePath: string | undefined;
  /** Origins of web pages allowed to call the API from a browser (CORS_ORIGINS); empty: the API's own origin only. */
  corsOrigins: string[];
  /**
   * Which proxies' X-Forwarded-For to believe (TRUST_PROXY, Express's `trust proxy`): a number of
   * hops, `loopback`, or addresses and subnets; unset, the connection's address is the caller's.
   */
  trustProxy: number | string | undefined;
}

/** One environment variable that failed validation. */
export interface ConfigProblem {
  variable: string;
  value: string;
  message: string;
}

/** Raised at start when one or more environment variables are invalid; lists every problem at once. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}=${JSON.stringify(p.value)}: ${p.message}`).join('\n'),
    );
    this.name = 'InvalidConfigError';
  }
}

/** Defaults, also shown in the README's configuration table. */
export const CONFIG_DEFAULTS = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  PORT: 3000,
  DATA_DIR: '.data',
  FORMS_DIR: 'processes/forms',
  PROCESSES_DIR: 'processes',
  DEFAULT_CANDIDATE_GROUP: 'supervisor',
  LETTER_AUTHORITY: '纪委监委案件监督管理室',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'xuncha-engine',
  TEMPORAL_DEV_PORT: 7233,
  TEMPORAL_DEV_UI_PORT: 8233,
  AUTH_TOKEN_TTL_SECONDS: 8 * 3600,
  AUTH_ISSUERS: 'xuncha-engine',
  AUTH_AUDIENCE: 'xuncha-engine',
  AUTH_PASSWORD_MIN_LENGTH: 10,
  AUTH_LOCKOUT_ATTEMPTS: 5,
  AUTH_LOCKOUT_MINUTES: 30,
  AUTH_IDLE_MINUTES: 30,
  ENGINE_TIME_ZONE: 'Asia/Shanghai',
  MESSAGE_MAX_TTL: 'P30D',
  AUDIT_HASH: 'sm3',
  AUDIT_RETENTION_DAYS: 180,
  AUDIT_CHECKPOINT_EVERY: 1000,
} as const;

/** The payload key outside production when none is set: known to everyone, so it hides nothing from anyone who looks. */
export const DEVELOPMENT_PAYLOAD_KEYS = 'dev:eHVuY2hhLWRldmVsb3BtZW50LXBheWxvYWQta2V5ISE=';

/** The checkpoints' key outside production when none is set: known to everyone, so it proves nothing. */
export const DEVELOPMENT_AUDIT_KEY = 'xuncha-development-audit-key-not-for-production';

/**
 * The signing secret outside production when none is set: known to everyone, so tokens signed
 * with it prove nothing. Production refuses to start without AUTH_JWT_SECRET.
 */
export const DEVELOPMENT_JWT_SECRET = 'xuncha-development-secret-not-for-production';

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  raw(variable: string): string | undefined {
    const value = this.env[variable];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  fail(variable: string, message: string): void {
    this.problems.push({ variable, value: this.env[variable] ?? '', message });
  }

  port(variable: string, fallback: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) > 65535) {
      this.fail(variable, 'must be a TCP port number between 0 and 65535');
      return fallback;
    }
    return Number(value);
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(variable, `must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  matching(variable: string, pattern: RegExp, description: string, fallback: string): string {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if (!pattern.test(value)) {
      this.fail(variable, description);
      return fallback;
    }
    return value;
  }

  timeZone(variable: string, fallback: string): string {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      this.fail(variable, 'must be an IANA time zone such as Asia/Shanghai');
      return fallback;
    }
  }

  postgresUrl(variable: string): string | undefined {
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.fail(variable, 'must be a URL such as postgres://user:password@host:5432/database');
      return undefined;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      this.fail(variable, `must use the postgres:// scheme, not ${url.protocol}//`);
      return undefined;
    }
    if (!url.hostname) {
      this.fail(variable, 'must name a host');
      return undefined;
    }
    if (url.pathname.length <= 1) {
      this.fail(variable, 'must name a database in its path, e.g. /xuncha');
      return undefined;
    }
    return value;
  }
}

/** What an entry point needs beyond the defaults. */
export interface ConfigRequirements {
  /**
   * Refuse the embedded database. Embedded PGlite lives inside one process, so the API and
   * the worker may use it only together (`npm start`), never as separate processes.
   */
  requireDatabaseUrl?: boolean;
}

/**
 * Reads and validates the environment. Every invalid variable is reported together,
 * so an operator fixes a deployment in one pass rather than one restart per mistake.
 */
export function loadConfig(
  env: Env = process.env,
  cwd: string = process.cwd(),
  requirements: ConfigRequirements = {},
): AppConfig {
  const read = new Reader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, CONFIG_DEFAULTS.NODE_ENV);
  const logLevel = read.oneOf('LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, CONFIG_DEFAULTS.LOG_LEVEL);
  const port = read.port('PORT', CONFIG_DEFAULTS.PORT);
  const host = read.matching('HOST', /^[A-Za-z0-9.:[\]-]{1,255}$/, 'must be an address to listen on, such as 127.0.0.1 or 0.0.0.0', '');
  const dataDir = path.resolve(cwd, read.raw('DATA_DIR') ?? CONFIG_DEFAULTS.DATA_DIR);
  const databaseUrl = read.postgresUrl('DATABASE_URL');
  if (requirements.requireDatabaseUrl && read.raw('DATABASE_URL') === undefined) {
    read.fail(
      'DATABASE_URL',
      'is required when the API and the worker run as separate processes; the embedded database serves one process only (use npm start)',
    );
  }
  const address = read.matching(
    'TEMPORAL_ADDRESS',
    /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/,
    'must be host:port of a Temporal frontend, e.g. temporal:7233',
    CONFIG_DEFAULTS.TEMPORAL_ADDRESS,
  );
  const namespace = read.matching(
    'TEMPORAL_NAMESPACE',
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
    'must be a Temporal namespace name (letters, digits, ".", "_", "-")',
    CONFIG_DEFAULTS.TEMPORAL_NAMESPACE,
  );
  const taskQueue = read.matching(
    'TEMPORAL_TASK_QUEUE',
    /^[^\s]{1,200}$/,
    'must be a non-empty name without spaces',
    CONFIG_DEFAULTS.TEMPORAL_TASK_QUEUE,
  );
  const maxCached = read.raw('WORKER_MAX_CACHED_WORKFLOWS');
  if (maxCached !== undefined && !(/^\d{1,7}$/.test(maxCached) && Number(maxCached) >= 2)) {
    read.fail('WORKER_MAX_CACHED_WORKFLOWS', 'must be a whole number of instances, 2 to 9999999');
  }
  const testClockRaw = read.raw('TEST_CLOCK');
  if (testClockRaw !== undefined && testClockRaw !== '0' && testClockRaw !== '1') read.fail('TEST_CLOCK', 'must be 1 (on) or 0 (off)');
  if (testClockRaw === '1' && nodeEnv === 'production') read.fail('TEST_CLOCK', 'is never available in production');
  const devPort = read.port('TEMPORAL_DEV_PORT', CONFIG_DEFAULTS.TEMPORAL_DEV_PORT);
  const devUiPort = read.port('TEMPORAL_DEV_UI_PORT', CONFIG_DEFAULTS.TEMPORAL_DEV_UI_PORT);
  const defaultCandidateGroup = read.matching(
    'DEFAULT_CANDIDATE_GROUP',
    /^[^\s,]{1,255}$/,
    'must be one group name, without spaces or commas',
    CONFIG_DEFAULTS.DEFAULT_CANDIDATE_GROUP,
  );
  const trustProxyRaw = read.raw('TRUST_PROXY');
  if (trustProxyRaw !== undefined && !/^(\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/.test(trustProxyRaw)) {
    read.fail('TRUST_PROXY', 'must be a number of proxy hops, loopback, or addresses and subnets separated by commas');
  }
  const trustProxy = trustProxyRaw === undefined ? undefined : /^\d+$/.test(trustProxyRaw) ? Number(trustProxyRaw) : trustProxyRaw;
  const corsOrigins = (read.raw('CORS_ORIGINS') ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) read.fail('CORS_ORIGINS', `"${origin}" is not an origin such as https://xuncha.example.gov.cn (scheme and host, no path)`);
  }
  const letterAuthority = read.matching('LETTER_AUTHORITY', /^\S.{0,59}$/u, 'must be the name of the issuing authority (1 to 60 characters)', CONFIG_DEFAULTS.LETTER_AUTHORITY);
  const bundle = read.raw('WORKFLOW_BUNDLE_PATH');
  const auditHash = read.oneOf('AUDIT_HASH', ['sm3', 'sha256'] as const, CONFIG_DEFAULTS.AUDIT_HASH);
  const auditKey = read.raw('AUDIT_HMAC_KEY');
  if (auditKey === undefined && nodeEnv === 'production') read.fail('AUDIT_HMAC_KEY', 'is required in production (at least 32 characters)');
  if (auditKey !== undefined && auditKey.length < 32) read.fail('AUDIT_HMAC_KEY', 'must be at least 32 characters');
  const retentionRaw = read.raw('AUDIT_RETENTION_DAYS');
  if (retentionRaw !== undefined && !(/^\d{1,5}$/.test(retentionRaw) && Number(retentionRaw) >= 180)) {
    read.fail('AUDIT_RETENTION_DAYS', 'must be a whole number of days, at least 180 (网络安全法 §21: six months)');
  }
  const checkpointRaw = read.raw('AUDIT_CHECKPOINT_EVERY');
  if (checkpointRaw !== undefined && !(/^\d{1,7}$/.test(checkpointRaw) && Number(checkpointRaw) >= 1)) read.fail('AUDIT_CHECKPOINT_EVERY', 'must be a whole number of records, at least 1');
  const payloadCipher = read.oneOf('PAYLOAD_CIPHER', ['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const, 'aes-256-gcm');
  const payloadKeysRaw = read.raw('PAYLOAD_KEYS');
  if (payloadKeysRaw === undefined && nodeEnv === 'production') read.fail('PAYLOAD_KEYS', 'is required in production: id:base64-of-32-bytes[,older-id:key…], the first encrypts');
  const payloadKeys: Array<[string, Buffer]> = [];
  for (const entry of (payloadKeysRaw ?? DEVELOPMENT_PAYLOAD_KEYS).split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^([A-Za-z0-9._-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    const key = match ? Buffer.from(match[2]!, 'base64') : undefined;
    if (!match || key?.length !== 32 || payloadKeys.some(([id]) => id === match[1])) {
      read.fail('PAYLOAD_KEYS', `"${entry.split(':')[0] ?? ''}" must be id:key with a distinct id and the key 32 bytes in base64`);
    } else {
      payloadKeys.push([match[1]!, key]);
    }
  }
  const jwtSecret = read.raw('AUTH_JWT_SECRET');
  if (jwtSecret === undefined && nodeEnv === 'production') read.fail('AUTH_JWT_SECRET', 'is required in production (at least 32 characters)');
  if (jwtSecret !== undefined && jwtSecret.length < 32) read.fail('AUTH_JWT_SECRET', 'must be at least 32 characters');
  const issuers = (read.raw('AUTH_ISSUERS') ?? CONFIG_DEFAULTS.AUTH_ISSUERS).split(',').map((issuer) => issuer.trim()).filter((issuer) => issuer !== '');
  if (issuers.length === 0) read.fail('AUTH_ISSUERS', 'must name at least one issuer');
  const audience = read.matching('AUTH_AUDIENCE', /^\S{1,255}$/, 'must be one audience (no spaces)', CONFIG_DEFAULTS.AUTH_AUDIENCE);
  const jwksUrl = read.raw('AUTH_JWKS_URL');
  if (jwksUrl !== undefined && !/^https?:\/\/\S+$/.test(jwksUrl)) read.fail('AUTH_JWKS_URL', 'must be the URL of the identity provider\'s key set (JWKS)');
  const refetchRaw = read.raw('AUTH_JWKS_REFETCH_SECONDS');
  if (refetchRaw !== undefined && !/^\d{1,5}$/.test(refetchRaw)) read.fail('AUTH_JWKS_REFETCH_SECONDS', 'must be a whole number of seconds');
  const bounded = (variable: keyof typeof CONFIG_DEFAULTS & `AUTH_${string}`, min: number, max: number, unit: string): number => {
    const value = read.raw(variable);
    if (value === undefined) return CONFIG_DEFAULTS[variable] as number;
    if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
      read.fail(variable, `must be a whole number of ${unit} from ${min} to ${max}`);
      return CONFIG_DEFAULTS[variable] as number;
    }
    return Number(value);
  };
  const password: PasswordPolicy = {
    minLength: bounded('AUTH_PASSWORD_MIN_LENGTH', 8, 64, 'characters'),
    lockoutAttempts: bounded('AUTH_LOCKOUT_ATTEMPTS', 1, 100, 'attempts'),
    lockoutMinutes: bounded('AUTH_LOCKOUT_MINUTES', 1, 1440, 'minutes'),
    idleMinutes: bounded('AUTH_IDLE_MINUTES', 1, 1440, 'minutes'),
  };
  const providerRoles = read.oneOf('AUTH_PROVIDER_ROLES', ['directory', 'token'] as const, 'directory');
  const ttl = read.raw('AUTH_TOKEN_TTL_SECONDS');
  if (ttl !== undefined && !/^[1-9]\d{0,6}$/.test(ttl)) read.fail('AUTH_TOKEN_TTL_SECONDS', 'must be a whole number of seconds (1 to 9999999)');

  const timeZone = read.timeZone('ENGINE_TIME_ZONE', CONFIG_DEFAULTS.ENGINE_TIME_ZONE);
  const maxMessageTimeToLive = read.matching(
    'MESSAGE_MAX_TTL',
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
    'must be an ISO-8601 duration such as P30D',
    CONFIG_DEFAULTS.MESSAGE_MAX_TTL,
  );

  if (read.problems.length > 0) throw new InvalidConfigError(read.problems);

  return {
    nodeEnv,
    logLevel,
    port,
    host: host !== '' ? host : databaseUrl ? '0.0.0.0' : '127.0.0.1',
    dataDir,
    database: databaseUrl
      ? { kind: 'postgres', url: databaseUrl }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    temporal: { address, namespace, taskQueue, ...(maxCached === undefined ? {} : { maxCachedWorkflows: Number(maxCached) }) },
    devServer: { port: devPort, uiPort: devUiPort },
    auth: {
      jwtSecret: jwtSecret ?? DEVELOPMENT_JWT_SECRET,
      tokenTtlSeconds: ttl === undefined ? CONFIG_DEFAULTS.AUTH_TOKEN_TTL_SECONDS : Number(ttl),
      issuers,
      audience,
      jwksUrl,
      jwksRefetchSeconds: refetchRaw === undefined ? 30 : Number(refetchRaw),
      devTokens: !databaseUrl && nodeEnv !== 'production',
      password,
      providerRoles,
    },
    payload: { cipher: payloadCipher, currentKeyId: payloadKeys[0]?.[0] ?? 'dev', keys: Object.fromEntries(payloadKeys) },
    audit: {
      hash: auditHash,
      hmacKey: auditKey ?? DEVELOPMENT_AUDIT_KEY,
      retentionDays: retentionRaw === undefined ? CONFIG_DEFAULTS.AUDIT_RETENTION_DAYS : Number(retentionRaw),
      checkpointEvery: checkpointRaw === undefined ? CONFIG_DEFAULTS.AUDIT_CHECKPOINT_EVERY : Number(checkpointRaw),
    },
    engine: { timeZone, maxMessageTimeToLive },
    formsDir: path.resolve(cwd, read.raw('FORMS_DIR') ?? CONFIG_DEFAULTS.FORMS_DIR),
    processesDir: path.resolve(cwd, read.raw('PROCESSES_DIR') ?? CONFIG_DEFAULTS.PROCESSES_DIR),
    consoleDir: path.resolve(cwd, read.raw('CONSOLE_DIR') ?? 'dist/console'),
    testClock: testClockRaw === '1',
    defaultCandidateGroup,
    letterAuthority,
    workflowBundlePath: bundle === undefined ? undefined : path.resolve(cwd, bundle),
    corsOrigins,
    trustProxy,
  };
}

/** A database URL with its password masked, for logs and health details. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'pglite') return `embedded PGlite at ${database.dataDir}`;
  const url = new URL(database.url);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Nest logger levels for a {@link LogLevel}. */
export function nestLogLevels(level: LogLevel): Array<'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['error', 'warn', 'info', 'debug'] as const;
  const upTo = order.indexOf(level);
  return [
    'fatal',
    'error',
    ...(upTo >= 1 ? (['warn'] as const) : []),
    ...(upTo >= 2 ? (['log'] as const) : []),
    ...(upTo >= 3 ? (['debug', 'verbose'] as const) : []),
  ];
}

/** Temporal runtime log level for a {@link LogLevel}. */
export function temporalLogLevel(level: LogLevel): 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' {
  return level === 'error' ? 'ERROR' : level === 'warn' ? 'WARN' : level === 'info' ? 'INFO' : 'DEBUG';
}
