import type { Permission, Principal, Role } from '@xuncha/contracts';
import { permissionsOf, ROLES, ROUTE_RULES } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, taskOf } from './support/instances';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** One caller per role, and one who holds only a model's own candidate group. */
const CALLERS: Principal[] = [
  ...(Object.keys(ROLES) as Role[]).map((role) => ({ sub: `matrix.${role}`, name: `矩阵${ROLES[role].label}`, groups: [role] })),
  { sub: 'matrix.room', name: '矩阵第三室', groups: ['commission-room-3'] },
];

/** A value for each path parameter: names nothing that exists, so an allowed call finds nothing and changes nothing. */
const SAMPLE_PARAMS: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  key: 'matrix-absent',
  version: '1',
  incidentId: 'matrix-incident',
  letterId: '00000000-0000-4000-8000-000000000001',
  attachmentId: '00000000-0000-4000-8000-000000000002',
  user: 'matrix.nobody',
  sub: 'matrix.nobody',
  role: 'auditor',
  date: '2031-01-02',
  year: '2031',
};

interface Route {
  method: string;
  /** As the router declares it, e.g. /tasks/:id. */
  path: string;
}

function concrete(route: Route): string {
  return route.path.replace(/:(\w+)/g, (_all, name: string) => {
    const value = SAMPLE_PARAMS[name];
    if (value === undefined) throw new Error(`no sample value for :${name} of ${route.method} ${route.path}`);
    return value;
  });
}

/** Calls a route as `as` (no token when null); a body that is not JSON (a workbook, a file) is answered as undefined. */
async function call(api: TestApp, route: Route, as: Principal | null): Promise<{ status: number; body: { details?: { reason?: string; permission?: string } } }> {
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  const response = await fetch(`${api.url}${concrete(route)}`, {
    method: route.method,
    headers: { ...(as ? api.auth(as) : {}), ...(withBody ? { 'content-type': 'application/json' } : {}) },
    ...(withBody ? { body: '{}' } : {}),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
  return { status: response.status, body: json ? (JSON.parse(text) as { details?: { reason?: string; permission?: string } }) : {} };
}

describe('permissions', () => {
  let database: TestDatabase;
  let api: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    const document = (await api.get('/docs/openapi.json', null)).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1') })),
    );
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('has a rule for every route of the OpenAPI document, and no rule for a route that does not exist', () => {
    const declared = routes.map((route) => `${route.method} ${route.path}`);
    expect(declared.filter((route) => ROUTE_RULES[route] === undefined)).toEqual([]);
    expect(Object.entries(ROUTE_RULES).filter(([route, rule]) => !declared.includes(route) && !('embeddedOnly' in rule)).map(([route]) => route)).toEqual([]);
    expect(declared.length).toBeGreaterThan(50);
  });

  it('answers every role on every route as the permission data says', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const rule = ROUTE_RULES[`${route.method} ${route.path}`]!;
      const anonymous = await call(api, route, null);
      if ('public' in rule) {
        if (anonymous.status === 401 || anonymous.status === 403) wrong.push(`${route.method} ${route.path} without a token: ${anonymous.status}`);
        continue;
      }
      if (anonymous.status !== 401) wrong.push(`${route.method} ${route.path} without a token: ${anonymous.status}, expected 401`);
      for (const caller of CALLERS) {
        const held = permissionsOf(caller).has(rule.permission);
        const answer = await call(api, route, caller);
        const refusedByRule = answer.status === 403 && answer.body.details?.reason === 'permission';
        const cell = `${route.method} ${route.path} as ${caller.groups.join(',')}`;
        if (answer.status >= 500) wrong.push(`${cell}: ${answer.status}`);
        else if (held && (refusedByRule || answer.status === 401)) wrong.push(`${cell}: refused (${answer.status}) though it holds ${rule.permission}`);
        else if (!held && !(refusedByRule && answer.body.details?.permission === rule.permission)) {
          wrong.push(`${cell}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}, expected 403 for want of ${rule.permission}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses with 403 and names the permission the roles lack', async () => {
    const auditor: Principal = { sub: 'matrix.auditor', name: '审计', groups: ['auditor'] };
    const answer = await api.get('/tasks', auditor);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'forbidden', details: { reason: 'permission', permission: 'tasks.work' satisfies Permission } });
    expect((answer.body as { message: string }).message).toContain('查看并办理本人及本组的任务');
  });

  it('shows the health report to administrators and only the status to everyone else', async () => {
    const anonymous = await api.get('/health', null);
    expect(anonymous).toEqual({ status: 200, body: { status: 'ok' } });
    const officer = await api.get('/health', { sub: 'matrix.officer', name: '王芳', groups: ['commission-case-office'] });
    expect(officer.body).toEqual({ status: 'ok' });
    for (const role of ['process-admin', 'system-admin']) {
      const admin = await api.get('/health', { sub: `matrix.${role}`, name: '管理员', groups: [role] });
      expect(admin.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    }
  });

  describe('per process definition', () => {
    const KEY = 'permission-probe';
    const OFFICE: Principal = { sub: 'perm.office', name: '巡察办甲', groups: ['inspection-office'] };
    const CASE: Principal = { sub: 'perm.case', name: '案管室乙', groups: ['commission-case-office'] };
    const SECURITY: Principal = { sub: 'perm.security', name: '安全管理员丙', groups: ['security-admin'] };
    const PROCESS_ADMIN: Principal = { sub: 'perm.process', name: '流程管理员丁', groups: ['process-admin'] };
    const xml = (name: string): string => `${BPMN_HEADER}
  <bpmn:process id="${KEY}" name="${name}" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:userTask id="Wait" name="等待"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
    let instanceId: string;

    beforeAll(async () => {
      await deployAll(api, [xml('权限探针')]);
      const started = await api.post('/process-instances', { definitionKey: KEY }, OFFICE);
      expect(started.status).toBe(201);
      instanceId = (started.body as { id: string }).id;
      await waitFor('the instance in the read model', async () => ((await api.get(`/process-instances/${instanceId}`, OFFICE)).status === 200 ? true : undefined));
    });

    it('lets the inspection office start and read, not cancel; hides the instance from the case office', async () => {
      expect((await api.post('/process-instances', { definitionKey: KEY }, CASE)).body).toMatchObject({
        error: 'forbidden',
        details: { reason: 'definition-permission', definitionKey: KEY, action: 'start' },
      });
      const cancel = await api.post(`/process-instances/${instanceId}/cancel`, {}, OFFICE);
      expect(cancel.status).toBe(403);
      expect(cancel.body).toMatchObject({ details: { reason: 'definition-permission', action: 'cancel' } });
      expect((await api.get(`/process-instances/${instanceId}`, CASE)).status).toBe(404);
      expect((await api.get(`/process-instances/${instanceId}/history`, CASE)).status).toBe(404);
      const listed = (await api.get(`/process-instances?definitionKey=${KEY}`, CASE)).body as { items: unknown[]; total: number };
      expect(listed).toMatchObject({ items: [], total: 0 });
      expect(((await api.get(`/process-instances?definitionKey=${KEY}`, OFFICE)).body as { total: number }).total).toBe(1);
    });

    it('keeps the security administrator to the rules: changes them, reads no instance', async () => {
      expect((await api.get(`/process-instances/${instanceId}`, SECURITY)).status).toBe(403);
      expect((await api.put(`/definitions/${KEY}/permissions`, { deploy: ['process-admin'] }, SECURITY)).status).toBe(400);
      expect((await api.put(`/definitions/${KEY}/permissions`, { deploy: [], start: [], read: ['no-such-role'], cancel: [], retry: [], modify: [] }, SECURITY)).status).toBe(400);
      expect((await api.put(`/definitions/${KEY}/permissions`, { deploy: [], start: [], read: [], cancel: [], retry: [], modify: [] }, PROCESS_ADMIN)).status).toBe(403);
      const before = await api.get(`/definitions/${KEY}/permissions`, SECURITY);
      expect(before.body).toMatchObject({ definitionKey: KEY, inherited: true });

      const rules = { deploy: [], start: ['commission-case-office'], read: ['commission-case-office'], cancel: ['commission-case-office'], retry: [], modify: [] };
      const set = await api.put(`/definitions/${KEY}/permissions`, rules, SECURITY);
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ definitionKey: KEY, inherited: false, rules, updatedBy: SECURITY.sub });

      // The office no longer sees the instance; the case office sees it and may cancel it.
      expect((await api.get(`/process-instances/${instanceId}`, OFFICE)).status).toBe(404);
      expect((await api.get(`/process-instances/${instanceId}`, CASE)).status).toBe(200);
      expect((await api.post('/process-instances', { definitionKey: KEY }, OFFICE)).status).toBe(403);
      const cancelled = await api.post(`/process-instances/${instanceId}/cancel`, {}, CASE);
      expect(cancelled.status).toBe(200);

      // Nobody may deploy a new version now; the stored version stays the only one.
      const refused = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(PROCESS_ADMIN), 'content-type': 'application/xml' }, body: xml('权限探针二') });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ details: { reason: 'definition-permission', definitionKey: KEY, action: 'deploy' } });
      expect(((await api.get(`/definitions/${KEY}/versions`)).body as unknown[]).length).toBe(1);
    });
  });

  describe('task data on a need basis', () => {
    const ROOM: Principal = { sub: 'need.room', name: '第三室甲', groups: ['commission-room-3'] };
    const xml = `${BPMN_HEADER}
  <bpmn:process id="need-to-know" name="知悉范围" isExecutable="true">
    <bpmn:extensionElements><zeebe:properties><zeebe:property name="sensitive" value="suspect" /></zeebe:properties></bpmn:extensionElements>
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review" />
    <bpmn:userTask id="Review" name="审核">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="commission-room-3" />
        <zeebe:ioMapping><zeebe:input source="=amount" target="sum" /><zeebe:input source="=suspect" target="suspect" /></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

    it('shows a task the targets of its input mappings, not the whole scope, and withholds sensitive ones from those who may not read the instance', async () => {
      await deployAll(api, [xml]);
      const started = await api.post('/process-instances', { definitionKey: 'need-to-know', variables: { amount: 5, suspect: '张三', unrelated: '与本任务无关' } });
      expect(started.status).toBe(201);
      const instanceId = (started.body as { id: string }).id;
      const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Review', ROOM);
      const seen = await api.get(`/tasks/${task.id}`, ROOM);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ variables: { sum: 5 }, withheld: ['suspect'] });
      expect(Object.keys((seen.body as { variables: object }).variables)).toEqual(['sum']);
      // A process administrator may read the instance: the sensitive variable is shown, the unrelated one still not.
      const operator = await api.get(`/tasks/${task.id}`);
      expect(operator.body).toMatchObject({ variables: { sum: 5, suspect: '张三' }, withheld: [] });
      expect(Object.keys((operator.body as { variables: object }).variables).sort()).toEqual(['sum', 'suspect']);
      // Nor does being offered the task open the instance.
      expect((await api.get(`/process-instances/${instanceId}`, ROOM)).status).toBe(404);
    });
  });

  describe('organisation scope', () => {
    const xml = `${BPMN_HEADER}
  <bpmn:process id="unit-probe" name="单位整改" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Plan" />
    <bpmn:userTask id="Plan" name="制定整改方案"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspected-unit" /><zeebe:taskSchedule dueDate="2030-01-07T09:00:00+08:00" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Plan" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
    const EDUCATION: Principal = { sub: 'scope.education', name: '教育局联络员', groups: ['inspected-unit'] };
    const HEALTH: Principal = { sub: 'scope.health', name: '卫健局联络员', groups: ['inspected-unit'] };
    const ADRIFT: Principal = { sub: 'scope.adrift', name: '未登记单位的人', groups: ['inspected-unit'] };
    const SYSTEM: Principal = { sub: 'scope.system', name: '系统管理员', groups: ['system-admin'] };
    const SECURITY: Principal = { sub: 'scope.security', name: '安全管理员', groups: ['security-admin'] };

    it("shows the people of an inspected unit only their unit's instances and tasks", async () => {
      for (const unit of [
        { id: 'scope-education', name: '区教育局', kind: 'inspected-unit' },
        { id: 'scope-health', name: '区卫健局', kind: 'inspected-unit' },
      ]) {
        expect((await api.post('/units', unit, SYSTEM)).status).toBe(201);
      }
      await api.app.get(UserRepository).seed([
        { ...EDUCATION, unit: 'scope-education' },
        { ...HEALTH, unit: 'scope-health' },
        ADRIFT,
      ]);
      await deployAll(api, [xml]);
      expect(await api.post('/process-instances', { definitionKey: 'unit-probe', variables: { unitId: 'scope-nowhere' } })).toMatchObject({
        status: 400,
        body: { details: { field: 'variables.unitId' } },
      });
      const start = async (unitId: string): Promise<string> => ((await api.post('/process-instances', { definitionKey: 'unit-probe', variables: { unitId } })).body as { id: string }).id;
      const education = await start('scope-education');
      const health = await start('scope-health');
      const educationTask = await taskOf<{ id: string; elementId: string }>(api, education, 'Plan', EDUCATION);
      const healthTask = await taskOf<{ id: string; elementId: string }>(api, health, 'Plan', HEALTH);

      const inbox = async (as: Principal): Promise<string[]> =>
        ((await api.get('/tasks', as)).body as { items: Array<{ processInstanceId: string }> }).items.map((task) => task.processInstanceId);
      expect(await inbox(EDUCATION)).toEqual([education]);
      expect(await inbox(HEALTH)).toEqual([health]);
      expect(await inbox(ADRIFT)).toEqual([]);
      // The notice bell rings for the unit's own tasks only.
      const noticed = async (as: Principal): Promise<string[]> =>
        ((await api.get('/notices', as)).body as { items: Array<{ key: string }> }).items.map((notice) => notice.key).filter((key) => key.startsWith('task:'));
      expect(await noticed(EDUCATION)).toEqual([`task:${educationTask.id}`]);
      expect(await noticed(HEALTH)).toEqual([`task:${healthTask.id}`]);
      expect(await noticed(ADRIFT)).toEqual([]);
      expect(await api.get(`/tasks/${healthTask.id}`, EDUCATION)).toMatchObject({ status: 403, body: { details: { reason: 'other-unit' } } });
      expect(await api.post(`/tasks/${healthTask.id}/claim`, {}, EDUCATION)).toMatchObject({ status: 403 });
      expect(await api.post(`/tasks/${healthTask.id}/complete`, { variables: {} }, EDUCATION)).toMatchObject({ status: 403, body: { details: { reason: 'other-unit' } } });
      expect((await api.post(`/tasks/${educationTask.id}/claim`, {}, EDUCATION)).status).toBe(200);
      // A token that claims another unit changes nothing: the directory decides.
      expect(await inbox({ ...EDUCATION, unit: 'scope-health' })).toEqual([education]);

      // Even where the definition lets inspected units read instances, each reads its own.
      const rules = { deploy: ['process-admin'], start: ['process-admin'], read: ['process-admin', 'inspected-unit'], cancel: ['process-admin'], retry: ['process-admin'], modify: ['process-admin'] };
      expect((await api.put('/definitions/unit-probe/permissions', rules, SECURITY)).status).toBe(200);
      const listed = async (as: Principal): Promise<string[]> =>
        ((await api.get('/process-instances?definitionKey=unit-probe', as)).body as { items: Array<{ id: string }> }).items.map((item) => item.id);
      expect(await listed(EDUCATION)).toEqual([education]);
      expect(await listed(ADRIFT)).toEqual([]);
      expect((await listed(TEST_ADMIN)).sort()).toEqual([education, health].sort());
      expect((await api.get(`/process-instances/${health}`, EDUCATION)).status).toBe(404);
      expect((await api.get(`/process-instances/${education}`, EDUCATION)).status).toBe(200);
      const deadlines = ((await api.get('/deadlines?within=P10000D', HEALTH)).body as { items: Array<{ processInstanceId: string }> }).items.map((row) => row.processInstanceId);
      expect(deadlines).toEqual([health]);
    });

    it('lets a child instance concern the unit its caller concerns, and belong to its round and office', async () => {
      const caller = `${BPMN_HEADER}
  <bpmn:process id="unit-caller" name="单位整改（调用）" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
    <bpmn:callActivity id="Call" name="调用整改子流程"><bpmn:extensionElements><zeebe:calledElement processId="unit-probe" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
      await deployAll(api, [caller]);
      const round = '5d7e8f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
      const parent = ((await api.post('/process-instances', { definitionKey: 'unit-caller', variables: { unitId: 'scope-health', roundId: round, officeId: 'commission-room-3' } })).body as { id: string }).id;
      const task = await waitFor('the called process to offer its task to the unit', async () => {
        const items = ((await api.get('/tasks?pageSize=100', HEALTH)).body as { items: Array<{ id: string; processInstanceId: string }> }).items;
        return items.find((item) => item.processInstanceId.startsWith(`${parent}:`));
      });
      expect((await api.get(`/tasks/${task.id}`, HEALTH)).status).toBe(200);
      expect(await api.get(`/tasks/${task.id}`, EDUCATION)).toMatchObject({ status: 403, body: { details: { reason: 'other-unit' } } });
      expect(((await api.get('/tasks?pageSize=100', EDUCATION)).body as { items: Array<{ processInstanceId: string }> }).items.some((item) => item.processInstanceId.startsWith(`${parent}:`))).toBe(false);
      const ids = async (query: string): Promise<string[]> => ((await api.get(`/tasks?${query}`, HEALTH)).body as { items: Array<{ id: string }> }).items.map((item) => item.id);
      expect(await ids(`round=${round}`)).toEqual([task.id]);
      expect(await ids('office=commission-room-3')).toEqual([task.id]);
      expect(await ids('round=00000000-0000-4000-8000-000000000000')).toEqual([]);
      // A filter narrows what a caller sees, never widens it: another unit's people still see nothing of it.
      expect(((await api.get(`/tasks?round=${round}`, EDUCATION)).body as { items: unknown[] }).items).toEqual([]);
      expect(((await api.get(`/deadlines?office=commission-room-3`, EDUCATION)).body as { items: Array<{ processInstanceId: string }> }).items.filter((item) => item.processInstanceId.startsWith(`${parent}:`))).toEqual([]);
    });
  });

  describe('the directory and its roles', () => {
    const SYSTEM: Principal = { sub: 'dir.system', name: '系统管理员甲', groups: ['system-admin'] };
    const SEC1: Principal = { sub: 'dir.sec1', name: '安全管理员甲', groups: ['security-admin'] };
    const SEC2: Principal = { sub: 'dir.sec2', name: '安全管理员乙', groups: ['security-admin'] };
    const groupsOf = async (sub: string): Promise<string[]> => (await api.app.get(UserRepository).find(sub))?.groups ?? [];

    it('lets the system administrator keep the people, and the security administrators their roles, a second one for administrator roles', async () => {
      expect(await api.post('/users', { sub: 'li.new', name: '李新' }, SYSTEM)).toMatchObject({ status: 201, body: { sub: 'li.new', groups: [], unit: null } });
      expect(await api.post('/users', { sub: 'li.new', name: '李新（改）' }, SYSTEM)).toMatchObject({ status: 200, body: { name: '李新（改）' } });
      expect(await api.post('/users', { sub: 'li.new', name: '李新', unit: 'no-such-unit' }, SYSTEM)).toMatchObject({ status: 400, body: { details: { field: 'unit' } } });
      expect(await api.post('/users', { sub: 'x.y', name: '某人' }, SEC1)).toMatchObject({ status: 403, body: { details: { permission: 'directory.edit' } } });
      expect((await api.post('/users', { sub: 'audit.new', name: '审计新人' }, SYSTEM)).status).toBe(201);

      // A business role is granted at once, and recorded.
      expect(await api.post('/users/li.new/roles', { role: 'commission-case-office', reason: '新任' }, SEC1)).toMatchObject({ status: 201, body: { state: 'granted', roleName: '纪委监委案件监督管理室' } });
      expect(await groupsOf('li.new')).toEqual(['commission-case-office']);
      expect(await api.post('/users/li.new/roles', { role: 'commission-case-office' }, SEC1)).toMatchObject({ status: 409 });
      expect(await api.post('/users/dir.sec1/roles', { role: 'supervisor' }, SEC1)).toMatchObject({ status: 403, body: { details: { reason: 'self-grant' } } });
      expect(await api.post('/users/li.new/roles', { role: 'supervisor' }, SYSTEM)).toMatchObject({ status: 403, body: { details: { permission: 'roles.grant' } } });

      // An administrator role waits for a second security administrator.
      const pending = await api.post('/users/audit.new/roles', { role: 'auditor' }, SEC1);
      expect(pending).toMatchObject({ status: 202, body: { state: 'pending', requestedBy: SEC1.sub } });
      const id = (pending.body as { id: string }).id;
      expect(await groupsOf('audit.new')).toEqual([]);
      expect(((await api.get('/role-grants?state=pending', SEC2)).body as Array<{ id: string }>).map((grant) => grant.id)).toEqual([id]);
      expect(await api.post(`/role-grants/${id}/approve`, {}, SEC1)).toMatchObject({ status: 403, body: { details: { reason: 'same-administrator' } } });
      expect(await api.post(`/role-grants/${id}/approve`, {}, SEC2)).toMatchObject({ status: 200, body: { state: 'granted', decidedBy: SEC2.sub } });
      expect(await groupsOf('audit.new')).toEqual(['auditor']);
      expect(await api.post(`/role-grants/${id}/approve`, {}, SEC2)).toMatchObject({ status: 409 });
      // The administrators' roles are held alone.
      expect(await api.post('/users/audit.new/roles', { role: 'commission-case-office' }, SEC1)).toMatchObject({ status: 409, body: { details: { reason: 'separation' } } });
      expect(await api.post('/users/li.new/roles', { role: 'system-admin' }, SEC1)).toMatchObject({ status: 409, body: { details: { reason: 'separation' } } });
      // Two administrator roles asked for at once: the second approval finds the first and is refused.
      expect((await api.post('/users', { sub: 'twice.new', name: '双职新人' }, SYSTEM)).status).toBe(201);
      const asSecurity = (await api.post('/users/twice.new/roles', { role: 'security-admin' }, SEC1)).body as { id: string };
      const asAuditor = (await api.post('/users/twice.new/roles', { role: 'auditor' }, SEC1)).body as { id: string };
      expect((await api.post(`/role-grants/${asSecurity.id}/approve`, {}, SEC2)).status).toBe(200);
      expect(await api.post(`/role-grants/${asAuditor.id}/approve`, {}, SEC2)).toMatchObject({ status: 409, body: { details: { reason: 'separation' } } });
      expect(await groupsOf('twice.new')).toEqual(['security-admin']);
      expect((await api.post(`/role-grants/${asAuditor.id}/refuse`, {}, SEC2)).status).toBe(200);
      // A refused request gives nothing.
      expect((await api.post('/users', { sub: 'ops.new', name: '运维新人' }, SYSTEM)).status).toBe(201);
      const refused = (await api.post('/users/ops.new/roles', { role: 'process-admin' }, SEC2)).body as { id: string };
      expect(await api.post(`/role-grants/${refused.id}/refuse`, {}, SEC1)).toMatchObject({ status: 200, body: { state: 'refused' } });
      expect(await groupsOf('ops.new')).toEqual([]);

      // Roles are taken back by another administrator, never by oneself.
      expect(await api.delete('/users/li.new/roles/commission-case-office', SEC2)).toMatchObject({ status: 204 });
      expect(await groupsOf('li.new')).toEqual([]);
      expect(await api.delete('/users/li.new/roles/commission-case-office', SEC2)).toMatchObject({ status: 404 });
      expect(await api.delete('/users/dir.sec2/roles/security-admin', SEC2)).toMatchObject({ status: 403, body: { details: { reason: 'self-revoke' } } });
      expect(((await api.get('/role-grants', SEC1)).body as Array<{ state: string }>).map((grant) => grant.state).sort()).toEqual(['granted', 'granted', 'granted', 'refused', 'refused', 'revoked']);
    });
  });
});
