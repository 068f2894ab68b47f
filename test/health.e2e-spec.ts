import { createTestDatabase, type TestDatabase } from './support/database';
import { TcpProxy } from './support/tcp-proxy';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';
import { deployAll, startInstance, straightThroughProcess } from './support/instances';
import { waitFor } from './support/wait';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
}

describe('GET /health', () => {
  let database: TestDatabase;
  let databaseProxy: TcpProxy;
  let temporalProxy: TcpProxy;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dbUrl = new URL(database.url);
    databaseProxy = new TcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
    await databaseProxy.open();
    const [temporalHost, temporalPort] = e2eTemporalAddress().split(':');
    temporalProxy = new TcpProxy(temporalHost ?? '127.0.0.1', Number(temporalPort));
    await temporalProxy.open();

    const proxiedUrl = new URL(database.url);
    proxiedUrl.hostname = '127.0.0.1';
    proxiedUrl.port = String(databaseProxy.port);
    api = await startTestApp({
      database: { kind: 'postgres', url: proxiedUrl.toString() },
      worker: false,
      temporalAddress: temporalProxy.address,
    });
  });

  afterAll(async () => {
    await api?.close();
    await databaseProxy?.close();
    await temporalProxy?.close();
    await database?.drop();
  });

  it('answers 200 with Temporal and the database up', async () => {
    const { status, body } = await api.get('/health');
    expect(status).toBe(200);
    const health = body as HealthBody;
    expect(health.status).toBe('ok');
    expect(health.info?.temporal?.status).toBe('up');
    expect(health.info?.database).toEqual({ status: 'up', kind: 'postgres' });
    // The calendar's reach: the shipped data ends with 2026, so on any date from 2026 on the next year is reported missing.
    const calendar = health.info?.calendar as { status: string; years: string; missing: number[]; message?: string } | undefined;
    expect(calendar?.status).toBe('up');
    expect(calendar?.years).toMatch(/^2004–\d{4}$/);
    const thisYear = new Date().getFullYear();
    if (thisYear >= 2026) expect(calendar?.missing).toContain(thisYear + 1);
    if (calendar?.missing.length) expect(calendar.message).toContain('enter the arrangement under /calendar');
  });

  it.each([
    ['database', 'temporal'],
    ['temporal', 'database'],
  ] as const)('answers 503 naming the %s while it is unreachable (the %s stays up), and 200 again once it is back', async (down, up) => {
    const proxy = down === 'database' ? databaseProxy : temporalProxy;
    await proxy.cut();
    try {
      const response = await waitFor(`health to report ${down} down`, async () => {
        const r = await api.get('/health');
        return r.status === 503 ? r : undefined;
      });
      const health = response.body as HealthBody;
      expect(health.status).toBe('error');
      expect(health.error?.[down]?.status).toBe('down');
      expect(health.info?.[up]?.status).toBe('up');
    } finally {
      await proxy.open();
    }
    await waitFor('health to recover', async () => ((await api.get('/health')).status === 200 ? true : undefined), {
      timeoutMs: 60_000,
    });
  });

  it('answers 503 naming the dependency when a route needs one that is down', async () => {
    // No worker polls this app's queue: the instance stays open.
    await deployAll(api, [straightThroughProcess('health-probe')]);
    const id = await startInstance(api, 'health-probe');

    await databaseProxy.cut();
    try {
      const response = await waitFor('GET /process-instances/:id to fail on the database', async () => {
        const r = await api.get(`/process-instances/${id}`);
        return r.status === 503 ? r : undefined;
      });
      expect(response.body).toMatchObject({ error: 'dependency-unavailable', details: { dependency: 'database' } });
    } finally {
      await databaseProxy.open();
    }

    await temporalProxy.cut();
    try {
      const response = await waitFor('POST /process-instances to fail on Temporal', async () => {
        const r = await api.post('/process-instances', { definitionKey: 'health-probe' });
        return r.status === 503 ? r : undefined;
      });
      expect(response.body).toMatchObject({ error: 'dependency-unavailable', details: { dependency: 'Temporal' } });
    } finally {
      await temporalProxy.open();
    }
    await waitFor('health to recover', async () => ((await api.get('/health')).status === 200 ? true : undefined), {
      timeoutMs: 60_000,
    });
  });

  it('serves the OpenAPI document and UI at /docs', async () => {
    const json = await api.get('/docs/openapi.json');
    expect(json.status).toBe(200);
    const paths = Object.keys((json.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/health', '/process-instances', '/process-instances/{id}']));
    const ui = await fetch(`${api.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });
});
