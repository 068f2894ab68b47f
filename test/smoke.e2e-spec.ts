import { MIGRATIONS } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

interface SmokeRun {
  id: string;
  status: string;
  record: { id: string; message: string; recordedAt: string } | null;
}

describe('walking skeleton: POST /smoke → Temporal → worker → TypeORM → Postgres', () => {
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('applied the migrations at start and created no table outside them', async () => {
    const migrations = await database.query<{ name: string }>('SELECT name FROM typeorm_migrations ORDER BY id');
    expect(migrations.map((m) => m.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
    const tables = await database.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'app_user',
      'calendar_override',
      'calendar_year',
      'instance_history',
      'message_delivery',
      'message_subscription',
      'process_definition',
      'process_instance',
      'process_timer',
      'smoke_record',
      'typeorm_migrations',
      'user_task',
    ]);
  });

  it('runs the workflow to completion and its row is in the database', async () => {
    const started = await api.post('/smoke', { message: '巡察联调' });
    expect(started.status).toBe(201);
    const { id } = started.body as { id: string };
    expect(id).toMatch(/^smoke-[0-9a-f-]{36}$/);

    const run = await waitFor('the smoke workflow to complete', async () => {
      const response = await api.get(`/smoke/${id}`);
      const body = response.body as SmokeRun;
      return response.status === 200 && body.status === 'COMPLETED' ? body : undefined;
    });
    expect(run.record?.message).toBe('巡察联调');

    const rows = await database.query<{ id: string; message: string }>(
      'SELECT id, message FROM smoke_record WHERE workflow_id = $1',
      [id],
    );
    expect(rows).toEqual([{ id: run.record?.id, message: '巡察联调' }]);
  });

  it('answers 404 with a stable error body for an unknown run', async () => {
    const response = await api.get('/smoke/smoke-00000000-0000-0000-0000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: 'not-found',
      message: 'smoke run "smoke-00000000-0000-0000-0000-000000000000" was not found',
      details: { resource: 'smoke run', id: 'smoke-00000000-0000-0000-0000-000000000000' },
    });
  });

  it('answers 400 naming the field when the body is invalid', async () => {
    const response = await api.post('/smoke', { message: 42 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'bad-request', message: expect.stringContaining('message must be a string') });
    const malformed = await fetch(`${api.url}/smoke`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/json' }, body: '{"message": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'bad-request' });
    const unknownField = await api.post('/smoke', { note: 'x' });
    expect(unknownField.status).toBe(400);
    expect((unknownField.body as { message: string }).message).toContain('property note should not exist');
  });
});
