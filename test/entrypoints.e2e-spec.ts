import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { MIGRATIONS } from '@xuncha/persistence';
import { freePort } from '../scripts/temporal-dev-server';
import { createTestDatabase } from './support/database';
import type { RunningProcess } from './support/processes';
import { compiled, isListening, killIfRunning, startNode, waitForExit } from './support/processes';
import { straightThroughProcess } from './support/instances';
import { e2eTemporalAddress } from './support/temporal';
import { waitFor } from './support/wait';

async function healthOk(port: number): Promise<true | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return response.status === 200 ? true : undefined;
}

describe('npm start (all in one, embedded database)', () => {
  let dataDir: string;
  let start: RunningProcess | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-start-'));
  });

  afterAll(() => {
    killIfRunning(start);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health with 200 within 60 s without DATABASE_URL, and Ctrl-C stops every child', async () => {
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    start = startNode(compiled('scripts/start.js'), {
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_DEV_UI_PORT: String(uiPort),
    });
    await waitFor('npm start to answer /health with 200', () => healthOk(port), { timeoutMs: 60_000, intervalMs: 250 });

    const banner = await waitFor('the start banner', () => (start!.output().includes('Press Ctrl-C') ? start!.output() : undefined));
    expect(banner).toContain(`http://localhost:${port}/docs`);
    expect(banner).toContain(`Temporal UI  http://127.0.0.1:${uiPort}`);
    expect(banner).toContain(`embedded PGlite at ${path.join(dataDir, 'pglite')}`);
    expect(await isListening(temporalPort)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

    // Demo users are seeded and the banner says how to get a token for one.
    expect(banner).toContain('wang.fang 王芳 (commission-case-office)');
    expect(banner).toContain(`curl -s -X POST http://localhost:${port}/auth/dev-token`);
    const issued = await fetch(`http://127.0.0.1:${port}/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'wang.fang' }),
    });
    expect(issued.status).toBe(200);
    const { access_token: token } = (await issued.json()) as { access_token: string };
    const me = await fetch(`http://127.0.0.1:${port}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] });

    start.child.kill('SIGINT');
    expect(await waitForExit(start, 30_000)).toBe(0);
    expect(start.output()).toContain('Stopped.');
    expect(await isListening(port)).toBe(false);
    expect(await isListening(temporalPort)).toBe(false);
    expect(await isListening(uiPort)).toBe(false);
  });
});

describe('production topology: separate api and worker processes on Postgres', () => {
  const processes: RunningProcess[] = [];

  afterAll(() => processes.forEach(killIfRunning));

  it('migrates with npm run migration:run, then api and worker cooperate and stop cleanly on SIGTERM', async () => {
    const database = await createTestDatabase();
    try {
      const env = {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: e2eTemporalAddress(),
        TEMPORAL_TASK_QUEUE: `e2e-topology-${Date.now()}`,
        NODE_ENV: 'production',
        AUTH_JWT_SECRET: 'e2e-production-secret-0123456789-abcdef',
        AUDIT_HMAC_KEY: 'e2e-production-audit-key-0123456789-abcdef',
        PAYLOAD_KEYS: 'e2e:ZTJlLXByb2R1Y3Rpb24tcGF5bG9hZC1rZXktMDEyMzQ=',
      };
      // Tokens come from the deployment's identity provider; here, signed with its secret.
      const token = new JwtService({ secret: env.AUTH_JWT_SECRET }).sign(
        { name: '张伟', groups: ['process-admin', 'inspection-office'] },
        { subject: 'zhang.wei', algorithm: 'HS256', expiresIn: 600, issuer: 'xuncha-engine', audience: 'xuncha-engine' },
      );
      const authorization = { authorization: `Bearer ${token}` };
      const migrate = startNode(compiled('scripts/migrate.js'), env, ['run']);
      expect(await waitForExit(migrate, 60_000)).toBe(0);
      expect(migrate.output()).toContain(`Applied: ${MIGRATIONS.map((migration) => new migration().name).join(', ')}`);
      const again = startNode(compiled('scripts/migrate.js'), env, ['run']);
      expect(await waitForExit(again, 60_000)).toBe(0);
      expect(again.output()).toContain('No pending migrations.');

      const port = await freePort();
      const worker = startNode(compiled('apps/worker/src/main.js'), env);
      const api = startNode(compiled('apps/api/src/main.js'), { ...env, PORT: String(port) });
      processes.push(worker, api);

      await waitFor('the API to answer /health with 200', () => healthOk(port), { timeoutMs: 60_000, intervalMs: 250 });
      const devToken = await fetch(`http://127.0.0.1:${port}/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'zhang.wei', name: '张伟', groups: ['process-admin'] }),
      });
      // Development tokens exist only in the embedded mode.
      expect(devToken.status).toBe(404);
      const anonymous = await fetch(`http://127.0.0.1:${port}/process-instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"definitionKey":"x"}' });
      expect(anonymous.status).toBe(401);
      const deployed = await fetch(`http://127.0.0.1:${port}/definitions`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/xml' },
        body: straightThroughProcess('topology'),
      });
      expect(deployed.status).toBe(201);
      const started = await fetch(`http://127.0.0.1:${port}/process-instances`, {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ definitionKey: 'topology', businessKey: 'topology' }),
      });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      await waitFor(
        'the worker process to complete the instance',
        async () => {
          const body = (await (await fetch(`http://127.0.0.1:${port}/process-instances/${id}`, { headers: authorization })).json()) as { state: string };
          return body.state === 'completed' ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );
      // The read model follows the workflow's last step.
      const rows = await waitFor('the read model to show the instance completed', async () => {
        const found = await database.query<{ business_key: string; state: string }>('SELECT business_key, state FROM process_instance');
        return found[0]?.state === 'completed' ? found : undefined;
      });
      expect(rows).toEqual([{ business_key: 'topology', state: 'completed' }]);

      worker.child.kill('SIGTERM');
      api.child.kill('SIGTERM');
      expect(await waitForExit(worker, 30_000)).toBe(0);
      expect(worker.output()).toContain('Worker stopped');
      expect(['SIGTERM', 0]).toContain(await waitForExit(api, 30_000));
    } finally {
      await database.drop();
    }
  });

  it('refuses to run the worker as its own process on the embedded database', async () => {
    const worker = startNode(compiled('apps/worker/src/main.js'), { TEMPORAL_ADDRESS: e2eTemporalAddress() });
    expect(await waitForExit(worker, 30_000)).toBe(1);
    expect(worker.output()).toContain('DATABASE_URL="": is required when the API and the worker run as separate processes');
  });

  it('refuses to start with invalid configuration, naming every bad variable', async () => {
    const api = startNode(compiled('apps/api/src/main.js'), { PORT: 'eighty', DATABASE_URL: 'mysql://root@db/x', TEMPORAL_ADDRESS: 'nowhere' });
    expect(await waitForExit(api, 30_000)).toBe(1);
    expect(api.output()).toContain('Invalid configuration');
    expect(api.output()).toContain('PORT="eighty": must be a TCP port number');
    expect(api.output()).toContain('DATABASE_URL="mysql://root@db/x": must use the postgres:// scheme');
    expect(api.output()).toContain('TEMPORAL_ADDRESS="nowhere": must be host:port');
  });
});
