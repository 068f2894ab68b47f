import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIGRATIONS } from '@xuncha/persistence';
import { DataSource } from 'typeorm';
import { deployAll, startInstance, straightThroughProcess } from './support/instances';
import { startTestApp } from './support/test-app';
import { waitFor } from './support/wait';

describe('embedded PGlite (no DATABASE_URL)', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-pglite-'));
  });

  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, migrates, runs an instance, and keeps its data across a restart', async () => {
    const database = { kind: 'pglite' as const, dataDir };
    const first = await startTestApp({ database, worker: true });
    let id: string;
    try {
      const health = await first.get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ info: { database: { status: 'up', kind: 'pglite' } } });

      const migrations = await first.app.get(DataSource).query('SELECT name FROM typeorm_migrations');
      expect(migrations).toEqual(MIGRATIONS.map((migration) => ({ name: new migration().name })));

      await deployAll(first, [straightThroughProcess('embedded')]);
      id = await startInstance(first, 'embedded', { businessKey: 'embedded' });
      // The read model follows the workflow's last step.
      await waitFor('the read model to show the instance completed', async () => {
        const rows = (await first.app.get(DataSource).query('SELECT state FROM process_instance WHERE id = $1', [id])) as Array<{ state: string }>;
        return rows[0]?.state === 'completed' ? true : undefined;
      });
    } finally {
      await first.close();
    }
    expect(fs.readdirSync(dataDir).length).toBeGreaterThan(0);

    const second = await startTestApp({ database, worker: false });
    try {
      const rows = await second.app.get(DataSource).query('SELECT business_key, state FROM process_instance WHERE id = $1', [id]);
      expect(rows).toEqual([{ business_key: 'embedded', state: 'completed' }]);
      const migrations = await second.app.get(DataSource).query('SELECT name FROM typeorm_migrations');
      expect(migrations).toHaveLength(MIGRATIONS.length);

      // The inbox's visibility operators, count and keyset paging on the embedded database too.
      await second.app.get(DataSource).query(`
        INSERT INTO user_task (instance_id, task_id, element_id, definition_key, candidate_groups, due_at, state, created_at, revision)
        SELECT 'embedded-' || g, 'element-1', 'Check', 'embedded', '["inspection-group"]'::jsonb, now() + g * interval '1 day', 'created', now(), 1
        FROM generate_series(1, 6) g`);
      const member = { sub: 'li.na', name: '李娜', groups: ['inspection-group'] };
      const page = await second.get('/tasks?pageSize=5', member);
      expect(page.body).toMatchObject({ total: 6, totalExact: true, nextCursor: expect.any(String) });
      const rest = await second.get(`/tasks?pageSize=5&cursor=${(page.body as { nextCursor: string }).nextCursor}`, member);
      expect(rest.body).toMatchObject({ items: [{ processInstanceId: 'embedded-6' }], nextCursor: null });
    } finally {
      await second.close();
    }
  });

  it('deploys and versions definitions on the embedded database', async () => {
    const app = await startTestApp({ database: { kind: 'pglite', dataDir }, worker: false });
    try {
      const xml = fs.readFileSync(path.join(__dirname, 'fixtures/bpmn/modeler/clue-feedback.bpmn'));
      const deploy = (body: Buffer | string) =>
        fetch(`${app.url}/definitions`, { method: 'POST', headers: { ...app.auth(), 'content-type': 'application/xml' }, body });
      const first = await deploy(xml);
      expect(first.status).toBe(201);
      // The same file and a changed one at once, on the one embedded connection: each deployment is
      // whole, and what the unchanged file does depends on which of the two was stored first.
      const concurrent = await Promise.all([deploy(xml), deploy(xml.toString().replace('已反馈', '反馈完毕'))]);
      const statuses = concurrent.map((r) => r.status);
      const versions = ((await app.get('/definitions/clue-feedback/versions')).body as Array<{ version: number }>).map((v) => v.version);
      const nameAt = async (version: number): Promise<unknown> =>
        ((await app.get(`/definitions/clue-feedback/versions/${version}/graph`)).body as { nodes: Record<string, { name?: string }> }).nodes.Event_feedback_sent?.name;
      if (statuses[0] === 200) {
        // The unchanged file met version 1 as the latest: nothing stored; the changed one is version 2.
        expect(statuses).toEqual([200, 201]);
        expect(versions).toEqual([2, 1]);
        expect(await nameAt(2)).toBe('反馈完毕');
      } else {
        // The changed file was stored first (version 2); the original then differs from the latest and is version 3.
        expect(statuses).toEqual([201, 201]);
        expect(versions).toEqual([3, 2, 1]);
        expect([await nameAt(2), await nameAt(3)]).toEqual(['反馈完毕', '已反馈']);
      }
    } finally {
      await app.close();
    }
  });

  it('reports failing statements as errors and stays healthy', async () => {
    const app = await startTestApp({ database: { kind: 'pglite', dataDir }, worker: false });
    try {
      const dataSource = app.app.get(DataSource);
      await expect(dataSource.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
      await expect(
        dataSource.query("INSERT INTO app_user (sub, name) VALUES ('dup', 'a'), ('dup', 'b')"),
      ).rejects.toThrow(/duplicate key/);
      expect((await app.get('/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
