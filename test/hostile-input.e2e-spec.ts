import type { Principal } from '@xuncha/contracts';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './support/database';
import { deployAll, oneTaskProcess, startInstance, taskOf } from './support/instances';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const OFFICE: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const CASE: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };
const SYSTEM: Principal = { sub: 'sys.admin', name: '系统管理员', groups: ['system-admin'] };
const SECURITY: Principal = { sub: 'sec.admin', name: '安全管理员', groups: ['security-admin'] };
const CALLERS = [TEST_ADMIN, OFFICE, CASE, SYSTEM, SECURITY];

/** A task the barrage must leave workable. */
const PROBE = oneTaskProcess('hostile-probe', '恶意输入探针', 'inspection-office');

function deep(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Values that have broken servers: control and lone-surrogate text, huge and negative numbers, absurd durations and dates. */
const HOSTILE_VALUES: unknown[] = [
  'zhao\u0000.qiang',
  '\ud800',
  'a\udc00b',
  2 ** 60,
  -1,
  1e308,
  0.5,
  'P99999999Y',
  'PT99999999999999999999S',
  '9999-99-99',
  '2026-02-30',
  '2026-W01-1',
  '-000001-01-01',
  'x'.repeat(100_000),
  [],
  {},
  null,
  true,
  { 'a\u0000': 1 },
  ['\u0000'],
];

const HOSTILE_PARAMS = ['%00', '-1', '99999999999999999999', '%ED%A0%80', '%F0', 'x'.repeat(5000), '..%2F..%2Fetc', '1e400', '2026-13-45'];
const HOSTILE_QUERY_VALUES = ['2026-W01', '2026-001', '%00', '-1', '99999999999999999999', '%ED%A0%80', '1e400', 'P99999999Y', '9999-99-99', 'x'.repeat(3000)];

interface Operation {
  method: string;
  path: string;
  queryNames: string[];
  bodyFields: string[];
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

describe('hostile input', () => {
  let database: TestDatabase;
  let api: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    const document = (await api.get('/docs/openapi.json', null)).body as OpenApi;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const ref = Object.values(operation.requestBody?.content ?? {})[0]?.schema?.$ref;
        const schema = ref ? document.components.schemas[ref.split('/').pop()!] : undefined;
        return {
          method: method.toUpperCase(),
          path,
          queryNames: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
          bodyFields: Object.keys(schema?.properties ?? {}),
        };
      }),
    );
    await deployAll(api, [PROBE]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  /** Sends one request and answers its status; a hang past 15 s fails the test. */
  async function send(method: string, path: string, as: Principal, body?: string, contentType = 'application/json'): Promise<number> {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...api.auth(as), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return response.status;
  }

  const concretePath = (path: string, value = '00000000-0000-4000-8000-000000000000'): string => path.replace(/\{\w+\}/g, value);

  /** Rows of the tables a request could write, to prove the barrage stored nothing. */
  async function rowCounts(): Promise<Record<string, number>> {
    const tables = ['process_instance', 'user_task', 'inspection_round', 'org_unit', 'clue', 'clue_grant', 'calendar_override', 'calendar_year', 'message', 'definition_permission', 'process_definition'];
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = Number(((await api.app.get(DataSource).query(`SELECT count(*) AS n FROM "${table}"`)) as Array<{ n: string }>)[0]!.n);
    return counts;
  }

  // One barrage per caller, each storing nothing: every route of the OpenAPI document, with hostile path
  // parameters, query values, body fields and whole bodies.
  it.each(CALLERS.map((caller) => [caller.sub, caller] as const))('answers a barrage of malformed requests as %s without a 5xx or a hang, storing nothing', async (_sub, as) => {
    const before = await rowCounts();
    const failures: string[] = [];
    const record = (what: string, status: number): void => {
      if (status >= 500) failures.push(`${what}: ${status}`);
    };
    let sent = 0;
    for (const operation of operations) {
      const withBody = operation.method !== 'GET' && operation.method !== 'DELETE';
      // Path parameters.
      if (operation.path.includes('{')) {
        for (const param of HOSTILE_PARAMS) {
          record(`${operation.method} ${operation.path} param ${param.slice(0, 20)} as ${as.sub}`, await send(operation.method, concretePath(operation.path, param), as, withBody ? '{}' : undefined));
          sent++;
        }
      }
      // Query parameters, one at a time.
      for (const name of operation.queryNames) {
        for (const value of HOSTILE_QUERY_VALUES) {
          record(`${operation.method} ${operation.path}?${name}=${value.slice(0, 20)} as ${as.sub}`, await send(operation.method, `${concretePath(operation.path)}?${name}=${value}`, as, withBody ? '{}' : undefined));
          sent++;
        }
      }
      if (!withBody) continue;
      // Body fields, one at a time, and whole bodies that are not what the route takes.
      for (const field of operation.bodyFields) {
        for (const value of HOSTILE_VALUES) {
          record(`${operation.method} ${operation.path} ${field}=${JSON.stringify(value).slice(0, 20)} as ${as.sub}`, await send(operation.method, concretePath(operation.path), as, JSON.stringify({ [field]: value })));
          sent++;
        }
      }
      for (const [label, body, type] of [
        ['deep JSON', deep(10_000), 'application/json'],
        ['invalid JSON', '{"a":', 'application/json'],
        ['JSON as text/plain', '{}', 'text/plain'],
        ['an array', '[1,2,3]', 'application/json'],
        ['a NUL key', '{"\\u0000":1}', 'application/json'],
        ['a lone surrogate key', '{"\\ud800":1}', 'application/json'],
        ['a huge integer', '{"variables":{"n":123456789012345678901234567890}}', 'application/json'],
      ] as const) {
        record(`${operation.method} ${operation.path} with ${label} as ${as.sub}`, await send(operation.method, concretePath(operation.path), as, body, type));
        sent++;
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a NUL in an assignee with 400 naming the field, and the task stays workable', async () => {
    const instanceId = await startInstance(api, 'hostile-probe');
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', OFFICE);
    const refused = await api.post(`/tasks/${task.id}/assign`, { user: 'zhao\u0000.qiang' }, OFFICE);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid-request', details: { field: 'user' } });
    const surrogate = await api.post(`/tasks/${task.id}/complete`, { variables: { note: 'a\ud800' } }, OFFICE);
    expect(surrogate.status).toBe(400);
    expect(surrogate.body).toMatchObject({ details: { field: 'variables.note' } });
    const claimed = await api.post(`/tasks/${task.id}/claim`, {}, OFFICE);
    expect(claimed.status).toBe(200);
    const completed = await api.post(`/tasks/${task.id}/complete`, { variables: { note: '已核实' } }, OFFICE);
    expect(completed.status).toBe(200);
    await waitFor('the probe to complete', async () =>
      ((await api.get(`/process-instances/${instanceId}`)).body as { state?: string }).state === 'completed' ? true : undefined,
    );
  });

  it('refuses JSON nested deeper than allowed before parsing it, and an unsafe integer naming the field', async () => {
    const deepAnswer = await fetch(`${api.url}/process-instances`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/json' }, body: deep(200) });
    expect(deepAnswer.status).toBe(400);
    expect(await deepAnswer.json()).toMatchObject({ error: 'bad-request', details: { reason: 'too-deep' } });
    const huge = await fetch(`${api.url}/process-instances`, {
      method: 'POST',
      headers: { ...api.auth(), 'content-type': 'application/json' },
      body: '{"definitionKey":"hostile-probe","variables":{"amount":9007199254740993}}',
    });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ details: { field: 'variables.amount' } });
  });

  it('refuses a BPMN file whose character references make a NUL or half a surrogate pair, storing nothing', async () => {
    for (const reference of ['&#0;', '&#x0;', '&#xD800;', '&#56320;']) {
      const xml = PROBE.replace('id="hostile-probe" name="恶意输入探针"', `id="hostile-entity" name="恶意${reference}实体"`);
      const answer = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: xml });
      expect([reference, answer.status]).toEqual([reference, 422]);
      expect(await answer.json()).toMatchObject({ error: 'invalid-definition', findings: expect.arrayContaining([expect.objectContaining({ rule: 'storable-text' })]) });
    }
    expect((await api.get('/definitions/hostile-entity')).status).toBe(404);
  });

  it('refuses a JSON route a body of another type with 415', async () => {
    const answer = await fetch(`${api.url}/process-instances`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'text/plain' }, body: '{"definitionKey":"hostile-probe"}' });
    expect(answer.status).toBe(415);
  });

  it('refuses calendar years outside the calendar and durations beyond a century', async () => {
    for (const year of ['-1', '0', '1899', '2201', '99999999999']) {
      const answer = await api.put(`/calendar/years/${year}`, {});
      expect([year, answer.status]).toEqual([year, 400]);
    }
    const ttl = await api.post('/messages', { name: 'm', correlationKey: 'k', timeToLive: 'P99999999Y' });
    expect(ttl.status).toBe(400);
    expect(JSON.stringify(ttl.body)).toContain('timeToLive');
  });

  it('sends security headers and no X-Powered-By', async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
  });
});
