import { Client as PgClient } from 'pg';
import type { Principal } from '@xuncha/contracts';
import { AuditRepository } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { deployAll, oneTaskProcess, startInstance, taskOf } from './support/instances';
import { compiled, startNode, waitForExit } from './support/processes';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const AUDITOR: Principal = { sub: 'shen.ji', name: '沈计', groups: ['auditor'] };
const SYSTEM: Principal = { sub: 'xi.tong', name: '席同', groups: ['system-admin'] };
const SECURITY: Principal = { sub: 'an.quan', name: '安全', groups: ['security-admin'] };
const OFFICE: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };

const PROCESS = oneTaskProcess('audit-probe', '审计探针', 'inspection-office');

interface AuditRecord {
  seq: number;
  actor: string;
  roles: string[];
  action: string;
  object: string | null;
  objectName: string | null;
  result: string;
  status: number | null;
  source: string | null;
}

interface Verification {
  ok: boolean;
  records: number;
  broken: { seq: number | null; reason: string; message: string } | null;
}

describe('the audit trail', () => {
  let database: TestDatabase;
  let api: TestApp;
  let pg: PgClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    pg = new PgClient({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await api?.close();
    await database?.drop();
  });

  const verify = async (from?: string): Promise<Verification> => {
    const answer = await api.get(`/audit/verify${from ? `?from=${from}` : ''}`, AUDITOR);
    expect(answer.status).toBe(200);
    return answer.body as Verification;
  };
  /** Changes the trail as an attacker with the database's superuser would: past the triggers. */
  const tamper = async (sql: string, params: unknown[] = []): Promise<void> => {
    await pg.query('BEGIN');
    await pg.query('SET LOCAL session_replication_role = replica');
    await pg.query(sql, params);
    await pg.query('COMMIT');
  };
  const records = async (query = ''): Promise<AuditRecord[]> => ((await api.get(`/audit?pageSize=200${query}`, AUDITOR)).body as { items: AuditRecord[] }).items;

  it('records who did what to which object with what result, from where, and shows it to the auditor alone', async () => {
    await deployAll(api, [PROCESS]);
    const instanceId = await startInstance(api, 'audit-probe');
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', OFFICE);
    expect((await api.post(`/tasks/${task.id}/claim`, {}, OFFICE)).status).toBe(200);
    expect((await api.get(`/tasks/${task.id}`, OFFICE)).status).toBe(200);
    expect((await api.post(`/tasks/${task.id}/complete`, { variables: { note: '已核实' } }, OFFICE)).status).toBe(200);
    expect((await api.post(`/process-instances/${instanceId}/cancel`, {}, OFFICE)).status).toBe(403);
    expect((await api.get('/tasks', SYSTEM)).status).toBe(403);

    let trail: AuditRecord[] = [];
    // The records are committed just after the answers; wait for the last of them.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      trail = await records();
      if (trail.some((record) => record.actor === SYSTEM.sub)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const complete = trail.find((record) => record.action === 'POST /tasks/:id/complete');
    expect(complete).toMatchObject({ actor: OFFICE.sub, roles: ['inspection-office'], object: `/tasks/${task.id}/complete`, result: 'success', status: 200, source: expect.stringMatching(/127\.0\.0\.1/) });
    expect(trail.find((record) => record.action === 'GET /tasks/:id')).toMatchObject({ actor: OFFICE.sub, result: 'success' });
    // The auditor reads what each object is, by name, not only its path.
    expect(complete?.objectName).toBe('任务 核实');
    expect(trail.find((record) => record.action === 'POST /process-instances/:id/cancel')?.objectName).toBe('流程实例 审计探针');
    expect(trail.find((record) => record.action === 'POST /definitions')?.objectName).toBeNull();
    expect(trail.find((record) => record.action === 'POST /process-instances/:id/cancel')).toMatchObject({ actor: OFFICE.sub, result: 'denied', status: 403 });
    expect(trail.find((record) => record.actor === SYSTEM.sub)).toMatchObject({ action: 'GET /tasks', roles: ['system-admin'], result: 'denied' });
    expect(trail.find((record) => record.action === 'POST /definitions')).toMatchObject({ actor: TEST_ADMIN.sub, result: 'success', status: 201 });
    // Plain reads that show no sensitive data are not recorded.
    expect(trail.some((record) => record.action === 'GET /tasks' && record.actor === OFFICE.sub)).toBe(false);

    expect((await records(`&actor=${OFFICE.sub}&result=denied`)).map((record) => record.action)).toEqual(['POST /process-instances/:id/cancel']);
    expect(await api.get('/audit', TEST_ADMIN)).toMatchObject({ status: 403, body: { details: { permission: 'audit.read' } } });
    expect(await api.get('/audit', OFFICE)).toMatchObject({ status: 403 });
    // The three administrators read no business data.
    for (const admin of [SYSTEM, SECURITY, AUDITOR]) {
      for (const path of ['/tasks', `/tasks/${task.id}`, `/process-instances/${instanceId}`, '/clues', '/deadlines']) {
        expect([admin.sub, path, (await api.get(path, admin)).status]).toEqual([admin.sub, path, 403]);
      }
    }
    // Reading the trail is recorded too.
    expect((await records('&actor=shen.ji')).some((record) => record.action === 'GET /audit')).toBe(true);
  });

  it('refuses to change, delete or truncate a record in the database', async () => {
    await expect(pg.query(`UPDATE audit_record SET actor = 'someone' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`DELETE FROM audit_record WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`TRUNCATE audit_record`)).rejects.toThrow(/append-only/);
    await api.app.get(AuditRepository).idle();
    await api.app.get(AuditRepository).checkpointIfPending();
    await expect(pg.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`UPDATE audit_checkpoint SET reason = 'prune'`)).rejects.toThrow(/append-only/);
  });

  /** Waits until no record is on its way: the head stays put and the writer is idle. */
  const quiet = (): Promise<true> =>
    waitFor('the audit trail to be quiet', async () => {
      const head = async (): Promise<string> => (await pg.query<{ seq: string }>(`SELECT seq FROM audit_head`)).rows[0]!.seq;
      const before = await head();
      await api.app.get(AuditRepository).idle();
      return before === (await head()) ? true : undefined;
    });
  /** Verifies straight through the repository, so no request's own record lands amid a tamper. */
  const verifyDirect = (fromLastCheckpoint = false) => api.app.get(AuditRepository).verify({ fromLastCheckpoint });
  const rowAt = async (seq: number): Promise<Record<string, unknown>> => (await pg.query(`SELECT * FROM audit_record WHERE seq = $1`, [seq])).rows[0] as Record<string, unknown>;
  const reinsert = async (row: Record<string, unknown>): Promise<void> => {
    const columns = Object.keys(row);
    await tamper(
      `INSERT INTO audit_record (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_c, i) => `$${i + 1}`).join(', ')})`,
      columns.map((c) => (c === 'roles' ? JSON.stringify(row[c]) : row[c])),
    );
  };

  it('verifies the chain, and names the exact record edited, deleted or relinked behind its back', async () => {
    expect(await verify()).toMatchObject({ ok: true, broken: null });
    await quiet();
    const target = Number((await pg.query<{ seq: string }>(`SELECT seq FROM audit_record ORDER BY seq OFFSET 3 LIMIT 1`)).rows[0]!.seq);
    const original = await rowAt(target);

    await tamper(`UPDATE audit_record SET actor = 'nobody' WHERE seq = $1`, [target]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: target, reason: 'altered' } });
    await tamper(`UPDATE audit_record SET actor = $2 WHERE seq = $1`, [target, original.actor]);
    expect(await verifyDirect()).toMatchObject({ ok: true });

    await tamper(`UPDATE audit_record SET prev_hash = repeat('0', 64) WHERE seq = $1`, [target]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: target, reason: 'relinked' } });
    await tamper(`UPDATE audit_record SET prev_hash = $2 WHERE seq = $1`, [target, original.prev_hash]);

    await tamper(`DELETE FROM audit_record WHERE seq = $1`, [target]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: target, reason: 'missing' } });
    await reinsert(original);
    expect(await verifyDirect()).toMatchObject({ ok: true });
    // The answer through the route names the record too.
    await tamper(`UPDATE audit_record SET source = coalesce(source, '') || '.1' WHERE seq = $1`, [target]);
    const answer = await verify();
    expect(answer).toMatchObject({ ok: false, broken: { seq: target, reason: 'altered', message: expect.stringContaining(`record ${target}`) } });
    await quiet();
    await tamper(`UPDATE audit_record SET source = $2 WHERE seq = $1`, [target, original.source]);
    expect(await verifyDirect()).toMatchObject({ ok: true });
  });

  it('detects a forged checkpoint, a chain rewritten under a checkpoint, and a cut-off tail', async () => {
    await quiet();
    const repository = api.app.get(AuditRepository);
    expect(await repository.checkpointIfPending()).toBe(true);
    const checkpoint = (await pg.query<{ id: string; seq: string; mac: string }>(`SELECT id, seq, mac FROM audit_checkpoint ORDER BY id DESC LIMIT 1`)).rows[0]!;
    const covered = Number(checkpoint.seq);

    await tamper(`UPDATE audit_checkpoint SET seq = seq - 1 WHERE id = $1`, [checkpoint.id]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { reason: 'checkpoint-forged', checkpointId: Number(checkpoint.id) } });
    await tamper(`UPDATE audit_checkpoint SET seq = $2 WHERE id = $1`, [checkpoint.id, covered]);

    // Records are linked by HMAC: rewriting one with a plain hash that fits its new contents is found out at once.
    const last = await rowAt(covered);
    expect(last.alg).toBe('hmac-sm3');
    const { recordHash } = await import('@xuncha/persistence');
    const rewritten = (alg: 'sm3' | 'hmac-sm3', key: string): string => recordHash({
      seq: covered,
      at: (last.at as Date).toISOString(),
      actor: 'nobody',
      roles: last.roles as string[],
      action: last.action as string,
      route: last.route as string | null,
      object: last.object as string | null,
      result: last.result as string,
      status: last.status as number | null,
      source: last.source as string | null,
      alg,
      prevHash: last.prev_hash as string,
    }, key);
    await tamper(`UPDATE audit_record SET actor = 'nobody', alg = 'sm3', hash = $2 WHERE seq = $1`, [covered, rewritten('sm3', '')]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: covered, reason: 'altered' } });
    await tamper(`UPDATE audit_record SET alg = 'hmac-sm3', hash = $2 WHERE seq = $1`, [covered, rewritten('hmac-sm3', 'a-guessed-key-of-at-least-32-chars')]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: covered, reason: 'altered' } });
    // Even someone holding the key cannot rewrite what a checkpoint vouches for.
    const newHash = rewritten('hmac-sm3', api.config.audit.hmacKey);
    await tamper(`UPDATE audit_record SET actor = 'nobody', hash = $2 WHERE seq = $1`, [covered, newHash]);
    await tamper(`UPDATE audit_head SET hash = $1`, [newHash]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: covered, reason: 'checkpoint-mismatch' } });
    await tamper(`UPDATE audit_record SET actor = $2, hash = $3 WHERE seq = $1`, [covered, last.actor, last.hash]);
    await tamper(`UPDATE audit_head SET hash = $1`, [last.hash]);
    expect(await verifyDirect()).toMatchObject({ ok: true });

    // Cutting the tail and winding the head back: the checkpoint still names the records that are gone.
    const before = await rowAt(covered - 1);
    await tamper(`DELETE FROM audit_record WHERE seq >= $1`, [covered - 1]);
    await tamper(`UPDATE audit_head SET seq = $1, hash = $2`, [covered - 2, before.prev_hash]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: covered - 1, reason: 'truncated' } });
    await reinsert(before);
    await reinsert(last);
    await tamper(`UPDATE audit_head SET seq = $1, hash = $2`, [covered, last.hash]);
    expect(await verifyDirect()).toMatchObject({ ok: true });
    expect(await verifyDirect(true)).toMatchObject({ ok: true, startedAt: 'last-checkpoint' });

    // Past the last checkpoint the signed head vouches for the tail: cut it, and the head either
    // still names the records that are gone, or (wound back) no longer carries a valid signature.
    expect((await api.post('/process-instances', { definitionKey: 'audit-probe' }, OFFICE)).status).toBe(201);
    expect((await api.post('/process-instances', { definitionKey: 'audit-probe' }, OFFICE)).status).toBe(201);
    await quiet();
    const head = (await pg.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_head`)).rows[0]!;
    const tip = Number(head.seq);
    expect(tip).toBeGreaterThan(covered + 1);
    const tail = [await rowAt(tip - 1), await rowAt(tip)];
    await tamper(`DELETE FROM audit_record WHERE seq >= $1`, [tip - 1]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: tip - 1, reason: 'truncated' } });
    await tamper(`UPDATE audit_head SET seq = $1, hash = $2`, [tip - 2, tail[0]!.prev_hash]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: tip - 2, reason: 'head-forged' } });
    await expect(pg.query(`UPDATE audit_head SET seq = seq - 1`)).rejects.toThrow(/only moves forward/);
    for (const row of tail) await reinsert(row);
    await tamper(`UPDATE audit_head SET seq = $1, hash = $2`, [tip, head.hash]);
    expect(await verifyDirect()).toMatchObject({ ok: true });

    // Even with the key, the last record rewritten no longer ends where the signed head says.
    const newest = await rowAt(tip);
    const forged = recordHash(
      {
        seq: tip,
        at: (newest.at as Date).toISOString(),
        actor: 'nobody',
        roles: newest.roles as string[],
        action: newest.action as string,
        route: newest.route as string | null,
        object: newest.object as string | null,
        result: newest.result as string,
        status: newest.status as number | null,
        source: newest.source as string | null,
        alg: 'hmac-sm3',
        prevHash: newest.prev_hash as string,
      },
      api.config.audit.hmacKey,
    );
    await tamper(`UPDATE audit_record SET actor = 'nobody', hash = $2 WHERE seq = $1`, [tip, forged]);
    expect(await verifyDirect()).toMatchObject({ ok: false, broken: { seq: tip, reason: 'head-mismatch' } });
    await tamper(`UPDATE audit_record SET actor = $2, hash = $3 WHERE seq = $1`, [tip, newest.actor, newest.hash]);
    expect(await verifyDirect()).toMatchObject({ ok: true });

    // Without the key, the tail rewritten in plain links, the head unsigned and told the keyed
    // chain begins later: the checkpoints signed where it began, so the downgrade is found.
    await expect(pg.query(`UPDATE audit_head SET keyed_from = 999999`)).rejects.toThrow(/keeps where the keyed chain began/);
    const original = (await pg.query(`SELECT * FROM audit_head`)).rows[0] as Record<string, unknown>;
    let link = tail[0]!.prev_hash as string;
    for (const row of tail) {
      const plain = recordHash(
        {
          seq: Number(row.seq),
          at: (row.at as Date).toISOString(),
          actor: 'nobody',
          roles: row.roles as string[],
          action: row.action as string,
          route: row.route as string | null,
          object: row.object as string | null,
          result: row.result as string,
          status: row.status as number | null,
          source: row.source as string | null,
          alg: 'sm3',
          prevHash: link,
        },
        '',
      );
      await tamper(`UPDATE audit_record SET actor = 'nobody', alg = 'sm3', prev_hash = $2, hash = $3 WHERE seq = $1`, [row.seq, link, plain]);
      link = plain;
    }
    await tamper(`UPDATE audit_head SET hash = $1, mac = NULL, keyed_from = 999999`, [link]);
    for (const fromLastCheckpoint of [false, true]) {
      expect(await verifyDirect(fromLastCheckpoint)).toMatchObject({ ok: false, broken: { seq: tip - 1, reason: 'altered' } });
    }
    for (const row of tail) await tamper(`UPDATE audit_record SET actor = $2, alg = $3, prev_hash = $4, hash = $5 WHERE seq = $1`, [row.seq, row.actor, row.alg, row.prev_hash, row.hash]);
    await tamper(`UPDATE audit_head SET hash = $1, mac = $2, keyed_from = $3`, [original.hash, original.mac, original.keyed_from]);
    expect(await verifyDirect()).toMatchObject({ ok: true });
  });

  it('prunes past the retention period behind a signed checkpoint, and npm run audit:verify checks the rest', async () => {
    await quiet();
    const repository = api.app.get(AuditRepository);
    const pruned = await repository.prune(new Date(Date.now() + (api.config.audit.retentionDays + 1) * 86_400_000));
    expect(pruned).toBeGreaterThan(10);
    expect((await pg.query(`SELECT reason FROM audit_checkpoint ORDER BY id DESC LIMIT 1`)).rows[0]).toEqual({ reason: 'prune' });
    expect((await api.post('/process-instances', { definitionKey: 'audit-probe' }, OFFICE)).status).toBe(201);
    await quiet();
    expect(await verifyDirect()).toMatchObject({ ok: true, records: expect.any(Number) });

    const env = { NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    const whole = startNode(compiled('scripts/audit-verify.js'), env);
    expect(await waitForExit(whole, 60_000)).toBe(0);
    expect(whole.output()).toContain('审计记录完整');

    const first = Number((await pg.query<{ seq: string }>(`SELECT min(seq) AS seq FROM audit_record`)).rows[0]!.seq);
    const source = (await rowAt(first)).source;
    await tamper(`UPDATE audit_record SET source = '10.0.0.1' WHERE seq = $1`, [first]);
    const broken = startNode(compiled('scripts/audit-verify.js'), env);
    expect(await waitForExit(broken, 60_000)).toBe(1);
    expect(broken.output()).toContain(`第 ${first} 条`);
    await tamper(`UPDATE audit_record SET source = $2 WHERE seq = $1`, [first, source]);
  });
});
