import { MIGRATIONS } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, type TestApp } from './support/test-app';
import { deployAll, startInstance, straightThroughProcess } from './support/instances';
import { waitFor } from './support/wait';

describe('walking skeleton: API → Temporal → worker → TypeORM → Postgres', () => {
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
      'audit_checkpoint',
      'audit_head',
      'audit_record',
      'calendar_override',
      'calendar_year',
      'clue',
      'clue_access',
      'clue_attachment',
      'clue_detail',
      'clue_event',
      'clue_feedback',
      'clue_grant',
      'clue_letter',
      'clue_number',
      'clue_summary',
      'definition_permission',
      'inspection_round',
      'inspection_round_unit',
      'instance_assignee',
      'instance_history',
      'letter_number',
      'message',
      'message_correlation',
      'message_delivery',
      'message_start_lock',
      'message_subscription',
      'notice_read',
      'org_unit',
      'process_definition',
      'process_instance',
      'process_timer',
      'role_grant',
      'task_content',
      'timer_start',
      'typeorm_migrations',
      'user_credential',
      'user_session',
      'user_task',
    ]);
  });

  it('runs an instance to completion on the worker and its row is in the database', async () => {
    await deployAll(api, [straightThroughProcess('walking-skeleton')]);
    const id = await startInstance(api, 'walking-skeleton', { businessKey: '巡察联调' });
    // The read model follows the workflow's last step.
    const rows = await waitFor('the read model to show the instance completed', async () => {
      const found = await database.query<{ state: string; business_key: string }>('SELECT state, business_key FROM process_instance WHERE id = $1', [id]);
      return found[0]?.state === 'completed' ? found : undefined;
    });
    expect(rows).toEqual([{ state: 'completed', business_key: '巡察联调' }]);
    const instance = await api.get(`/process-instances/${id}`);
    expect(instance).toMatchObject({ status: 200, body: { id, state: 'completed', businessKey: '巡察联调' } });
  });

  it('answers 404 with a stable error body for an unknown instance', async () => {
    const response = await api.get('/process-instances/00000000-0000-0000-0000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: 'not-found',
      message: 'process instance "00000000-0000-0000-0000-000000000000" was not found',
      details: { resource: 'process instance', id: '00000000-0000-0000-0000-000000000000' },
    });
  });

  it('answers 400 naming the field when the body is invalid', async () => {
    const response = await api.post('/process-instances', { definitionKey: 42 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'bad-request', message: expect.stringContaining('definitionKey must be a string') });
    const malformed = await fetch(`${api.url}/process-instances`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/json' }, body: '{"definitionKey": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'bad-request' });
    const unknownField = await api.post('/process-instances', { definitionKey: 'walking-skeleton', note: 'x' });
    expect(unknownField.status).toBe(400);
    expect((unknownField.body as { message: string }).message).toContain('property note should not exist');
  });
});
