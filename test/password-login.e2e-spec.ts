import { Client as PgClient } from 'pg';
import type { Principal } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { TokensService } from '../apps/api/src/auth/tokens.service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compiled, startNode, waitForExit } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const SECURITY: Principal = { sub: 'an.quan', name: '安全', groups: ['security-admin'] };
const AUDITOR: Principal = { sub: 'shen.ji', name: '沈计', groups: ['auditor'] };
const OFFICER: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const GOOD = 'Xuncha-Office-2026';

interface Answer {
  status: number;
  body: { message?: string; details?: Record<string, unknown>; [key: string]: unknown };
}

interface Login {
  access_token: string;
  must_change_password: boolean;
  idle_timeout_seconds: number;
}

describe('password login', () => {
  let database: TestDatabase;
  let api: TestApp;
  let pg: PgClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({
      database: { kind: 'postgres', url: database.url },
      worker: false,
      auth: { password: { minLength: 12, lockoutAttempts: 3, lockoutMinutes: 30, idleMinutes: 30 } },
    });
    await api.app.get(UserRepository).seed([SECURITY, AUDITOR, OFFICER, { sub: 'li.na', name: '李娜', groups: ['inspection-group'] }, { sub: 'chen.jing', name: '陈静', groups: ['inspection-office'] }, { sub: 'zhou.min', name: '周敏', groups: ['supervisor'] }]);
    pg = new PgClient({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await api?.close();
    await database?.drop();
  });

  const request = async (method: string, path: string, token: string | null, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
  };
  const login = (username: string, password: string): Promise<Answer> => request('POST', '/auth/login', null, { username, password });
  const reset = async (sub: string): Promise<string> => {
    const answer = await api.post(`/users/${sub}/password-reset`, undefined, SECURITY);
    expect(answer).toMatchObject({ status: 200, body: { sub, mustChange: true } });
    return (answer.body as { temporaryPassword: string }).temporaryPassword;
  };
  /** Signs in with a temporary password and changes it to `password`; answers the session's token. */
  const signUp = async (sub: string, password: string): Promise<string> => {
    const first = await login(sub, await reset(sub));
    expect(first.status).toBe(200);
    const token = (first.body as unknown as Login).access_token;
    const temporary = await reset(sub);
    const second = await login(sub, temporary);
    const secondToken = (second.body as unknown as Login).access_token;
    expect((await request('POST', '/auth/password', secondToken, { currentPassword: temporary, newPassword: password })).status).toBe(204);
    // The reset ended the first session.
    expect((await request('GET', '/auth/me', token)).status).toBe(401);
    return secondToken;
  };

  it('lets a reset password do nothing but change itself, then the session works and the others end', async () => {
    const temporary = await reset('zhang.wei');
    const first = await login('zhang.wei', temporary);
    expect(first).toMatchObject({ status: 200, body: { must_change_password: true, idle_timeout_seconds: 1800, token_type: 'Bearer' } });
    const token = (first.body as unknown as Login).access_token;
    const other = ((await login('zhang.wei', temporary)).body as unknown as Login).access_token;

    expect(await request('GET', '/tasks', token)).toMatchObject({ status: 403, body: { details: { reason: 'password-change' } } });
    expect(await request('GET', '/auth/me', token)).toMatchObject({ status: 200, body: { sub: 'zhang.wei', groups: ['inspection-office'] } });

    const change = (newPassword: string, currentPassword = temporary): Promise<Answer> => request('POST', '/auth/password', token, { currentPassword, newPassword });
    expect(await change('short1A')).toMatchObject({ status: 400, body: { details: { field: 'newPassword', rule: 'too-short' } } });
    expect(await change('alllowercaseletters')).toMatchObject({ status: 400, body: { details: { field: 'newPassword', rule: 'too-simple' } } });
    expect(await change('Zhang.Wei-2026-xyz')).toMatchObject({ status: 400, body: { details: { field: 'newPassword', rule: 'contains-user' } } });
    expect(await change(temporary)).toMatchObject({ status: 400, body: { details: { field: 'newPassword', rule: 'unchanged' } } });
    expect(await change(GOOD, 'not-the-temporary')).toMatchObject({ status: 400, body: { details: { field: 'currentPassword' } } });
    // A session that must change its password may still end itself.
    const leaving = ((await login('zhang.wei', temporary)).body as unknown as Login).access_token;
    expect(await request('POST', '/auth/logout', leaving)).toMatchObject({ status: 200, body: { revoked: true } });
    expect((await change(GOOD)).status).toBe(204);

    expect((await request('GET', '/tasks', token)).status).toBe(200);
    expect(await request('GET', '/auth/me', other)).toMatchObject({ status: 401, body: { details: { login: 'revoked' } } });
    expect((await login('zhang.wei', temporary)).status).toBe(401);
    expect(await login('zhang.wei', GOOD)).toMatchObject({ status: 200, body: { must_change_password: false } });
  });

  it('locks the account after the configured count of wrong passwords, even against the right one, until a reset', async () => {
    await signUp('li.na', GOOD);
    expect(await login('li.na', 'Wrong-Password-1')).toMatchObject({ status: 401, body: { details: { login: 'bad-credentials' } } });
    expect(await login('li.na', 'Wrong-Password-2')).toMatchObject({ status: 401, body: { details: { login: 'bad-credentials' } } });
    const locking = await login('li.na', 'Wrong-Password-3');
    expect(locking).toMatchObject({ status: 401, body: { details: { login: 'locked' } } });
    const until = Date.parse(String(locking.body.details?.lockedUntil));
    expect(until - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(await login('li.na', GOOD)).toMatchObject({ status: 401, body: { details: { login: 'locked' } } });

    // The security administrator's reset unlocks it, with a password to change.
    const temporary = await reset('li.na');
    expect(await login('li.na', temporary)).toMatchObject({ status: 200, body: { must_change_password: true } });
  });

  it('checks no more guesses than the lockout allows, however many arrive at once', async () => {
    await signUp('zhou.min', GOOD);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => login('zhou.min', `Wrong-Guess-${index}`)));
    const checked = answers.filter((answer) => answer.body.details?.login === 'bad-credentials');
    expect(checked.length).toBeLessThanOrEqual(2);
    expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    expect(await login('zhou.min', GOOD)).toMatchObject({ status: 401, body: { details: { login: 'locked' } } });
  });

  it('lets a temporary password sign in for 72 hours only', async () => {
    const temporary = await reset('li.na');
    await pg.query(`UPDATE "user_credential" SET "changed_at" = now() - interval '73 hours' WHERE "sub" = 'li.na'`);
    expect(await login('li.na', temporary)).toMatchObject({ status: 401, body: { details: { login: 'temporary-expired' } } });
  });

  it('answers an unknown name as a wrong password, and limits attempts for one name to ten a minute', async () => {
    const unknown = await login('nobody.here', GOOD);
    const wrong = await login('zhang.wei', 'Wrong-Password-9');
    expect(unknown).toEqual({ status: 401, body: wrong.body });
    expect(wrong.body.details).toEqual({ reason: wrong.body.message, login: 'bad-credentials' });
    for (let attempt = 2; attempt <= 10; attempt++) expect((await login('nobody.here', `${GOOD}${attempt}`)).status).toBe(401);
    expect(await login('nobody.here', GOOD)).toMatchObject({ status: 429, body: { error: 'too-many-requests' } });
  });

  it('ends the session at logout and after the idle time, and takes roles from the directory on every call', async () => {
    const token = await signUp('chen.jing', GOOD);
    expect((await request('GET', '/rounds', token)).status).toBe(200);
    // A role taken back counts at once, whatever the token says.
    await pg.query(`UPDATE "app_user" SET "groups" = '["auditor"]'::jsonb WHERE "sub" = 'chen.jing'`);
    expect(await request('GET', '/rounds', token)).toMatchObject({ status: 403, body: { details: { reason: 'permission' } } });
    await pg.query(`UPDATE "app_user" SET "groups" = '["inspection-office"]'::jsonb WHERE "sub" = 'chen.jing'`);

    expect(await request('POST', '/auth/logout', token)).toMatchObject({ status: 200, body: { revoked: true } });
    expect(await request('GET', '/rounds', token)).toMatchObject({ status: 401, body: { details: { login: 'revoked', cause: 'logout' } } });

    // Logged out, the token cannot change the password either.
    expect(await request('POST', '/auth/password', token, { currentPassword: GOOD, newPassword: `${GOOD}-2` })).toMatchObject({ status: 401, body: { details: { login: 'revoked' } } });

    // A token naming a session that is not there, or someone else's, or one past its expiry, is refused.
    const tokens = api.app.get(TokensService);
    const forged = tokens.issue({ sub: 'chen.jing', name: '陈静', groups: ['process-admin'] }, { session: '00000000-0000-4000-8000-000000000000' }).access_token;
    expect(await request('GET', '/auth/me', forged)).toMatchObject({ status: 401, body: { details: { login: 'no-session' } } });
    const mine = ((await login('chen.jing', GOOD)).body as unknown as Login).access_token;
    const session = (await pg.query<{ id: string }>(`SELECT id FROM "user_session" WHERE "sub" = 'chen.jing' AND "revoked_at" IS NULL ORDER BY "created_at" DESC LIMIT 1`)).rows[0]!.id;
    const borrowed = tokens.issue({ sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] }, { session }).access_token;
    expect(await request('GET', '/auth/me', borrowed)).toMatchObject({ status: 401, body: { details: { login: 'no-session' } } });
    await pg.query(`UPDATE "user_session" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`, [session]);
    expect(await request('GET', '/auth/me', mine)).toMatchObject({ status: 401, body: { details: { login: 'expired' } } });

    const idle = ((await login('chen.jing', GOOD)).body as unknown as Login).access_token;
    expect((await request('GET', '/auth/me', idle)).status).toBe(200);
    await pg.query(`UPDATE "user_session" SET "last_seen_at" = now() - interval '31 minutes' WHERE "sub" = 'chen.jing' AND "revoked_at" IS NULL`);
    expect(await request('GET', '/auth/me', idle)).toMatchObject({ status: 401, body: { details: { login: 'idle' } } });
  });

  it('refuses resets to anyone but the security administrator, of their own password, or of an unknown person', async () => {
    expect(await api.post('/users/li.na/password-reset', undefined, OFFICER)).toMatchObject({ status: 403, body: { details: { reason: 'permission', permission: 'passwords.reset' } } });
    expect(await api.post('/users/an.quan/password-reset', undefined, SECURITY)).toMatchObject({ status: 403, body: { details: { reason: 'self-reset' } } });
    expect(await api.post('/users/no.such.person/password-reset', undefined, SECURITY)).toMatchObject({ status: 404 });
    // An administrator's password handed to another administrator would undo the separation of the three.
    expect(await api.post('/users/shen.ji/password-reset', undefined, SECURITY)).toMatchObject({ status: 403, body: { details: { reason: 'guarded-account' } } });
    expect(await request('POST', '/auth/password', null, { currentPassword: 'x', newPassword: GOOD })).toMatchObject({ status: 401 });
    // A caller of the identity provider has no password here to change.
    expect(await api.post('/auth/password', { currentPassword: 'x', newPassword: GOOD }, AUDITOR)).toMatchObject({ status: 409, body: { details: { reason: 'no-password' } } });
    // Every invalid field at once, each with the code of the rule it broke.
    expect(await api.post('/auth/login', { username: '', extra: 1 }, null)).toMatchObject({
      status: 400,
      body: {
        error: 'bad-request',
        details: {
          field: expect.any(String),
          fields: expect.arrayContaining([
            expect.objectContaining({ field: 'username', code: 'isLength' }),
            expect.objectContaining({ field: 'password', code: 'isString' }),
            expect.objectContaining({ field: 'extra', code: 'whitelistValidation' }),
          ]),
        },
      },
    });
  });

  it('gives the first security administrator a temporary password from the command line, recorded in the trail', async () => {
    const env = { NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    const missing = startNode(compiled('scripts/reset-password.js'), env, ['no.such.person']);
    expect(await waitForExit(missing, 60_000)).toBe(1);
    expect(missing.output()).toContain('目录中没有用户 no.such.person');

    const script = startNode(compiled('scripts/reset-password.js'), env, ['an.quan']);
    expect(await waitForExit(script, 60_000)).toBe(0);
    expect(script.output()).toMatch(/^[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){3}$/m);
    const temporary = /^([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})$/m.exec(script.output())![1]!;
    const session = await login('an.quan', temporary);
    expect(session).toMatchObject({ status: 200, body: { must_change_password: true } });
    const token = (session.body as unknown as Login).access_token;
    expect(await request('GET', '/role-grants', token)).toMatchObject({ status: 403, body: { details: { reason: 'password-change' } } });
    expect((await request('POST', '/auth/password', token, { currentPassword: temporary, newPassword: GOOD })).status).toBe(204);
    expect((await request('GET', '/role-grants', token)).status).toBe(200);
    const trail = (await api.get('/audit?object=%2Fusers%2Fan.quan&pageSize=10', AUDITOR)).body as { items: Array<{ actor: string; action: string }> };
    expect(trail.items).toContainEqual(expect.objectContaining({ action: 'reset password (command line)', actor: expect.stringMatching(/^\(command line: /) }));
  });

  it('records every login, passed or refused, in the audit trail under the name tried, without the password', async () => {
    await login('zhang.wei', 'Wrong-Password-audit');
    await waitFor('the login attempts in the audit trail', async () => {
      const page = (await api.get('/audit?actor=zhang.wei&pageSize=100', AUDITOR)).body as { items: Array<{ action: string; result: string; status: number }> };
      const logins = page.items.filter((item) => item.action === 'POST /auth/login');
      return logins.some((item) => item.result === 'denied' && item.status === 401) && logins.some((item) => item.result === 'success') ? logins : undefined;
    });
    const stored = await pg.query(`SELECT count(*)::int AS n FROM "audit_record" AS r WHERE r::text LIKE '%Wrong-Password%'`);
    expect(stored.rows[0]).toEqual({ n: 0 });
  });
});
