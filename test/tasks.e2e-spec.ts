import { JwtService } from '@nestjs/jwt';
import type { Client } from '@temporalio/client';
import { calendarFrom } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { parseDateTime } from '@xuncha/bpmn-engine';
import type { InstanceRecord, Principal, ProcessWorkflowInput, TaskView } from '@xuncha/contracts';
import { PROCESS_WORKFLOW_TYPE } from '@xuncha/contracts';
import { ProcessDefinitionRepository, ProcessInstanceRepository, UserRepository } from '@xuncha/persistence';
import { TEMPORAL_CLIENT } from '@xuncha/runtime';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance, taskOf as waitForTask } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** The case office decides how to dispose of a clue, within 10 working days, on the shipped form. */
const DISPOSAL = `${BPMN_HEADER}
  <bpmn:process id="task-clue-disposal" name="线索处置" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Dispose" name="研究处置方式">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="commission-case-office" />
        <zeebe:taskSchedule dueDate="=add working days(today(), 10)" />
        <zeebe:formDefinition formId="clue-disposition" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Dispose" />
    <bpmn:sequenceFlow id="F2" sourceRef="Dispose" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/**
 * An information request (征询函) the audit bureau answers within seconds (the short-duration
 * variant of a working-day deadline): a non-interrupting timer reminds the inspection office, a
 * later one escalates to the leading group; an interrupting one finally withdraws the request.
 */
const REQUEST = `${BPMN_HEADER}
  <bpmn:process id="task-info-request" name="征询函" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Answer" name="答复征询函">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="audit-bureau" />
        <zeebe:taskSchedule dueDate="=now() + duration(dueIn)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Remind" name="逾期提醒" cancelActivity="false" attachedToRef="Answer">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=remindAfter</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="Escalate" name="升级督办" cancelActivity="false" attachedToRef="Answer">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=escalateAfter</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="Withdraw" name="撤回征询" attachedToRef="Answer">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=withdrawAfter</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Chase" name="催办征询函">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="Supervise" name="领导小组督办">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="leading-group" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="Answered" />
    <bpmn:endEvent id="Chased" />
    <bpmn:endEvent id="Supervised" />
    <bpmn:endEvent id="Withdrawn" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Answer" />
    <bpmn:sequenceFlow id="F2" sourceRef="Answer" targetRef="Answered" />
    <bpmn:sequenceFlow id="F3" sourceRef="Remind" targetRef="Chase" />
    <bpmn:sequenceFlow id="F4" sourceRef="Chase" targetRef="Chased" />
    <bpmn:sequenceFlow id="F5" sourceRef="Escalate" targetRef="Supervise" />
    <bpmn:sequenceFlow id="F6" sourceRef="Supervise" targetRef="Supervised" />
    <bpmn:sequenceFlow id="F7" sourceRef="Withdraw" targetRef="Withdrawn" />
  </bpmn:process>
</bpmn:definitions>`;

const WANG: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };
const SUN: Principal = { sub: 'sun.li', name: '孙丽', groups: ['commission-case-office'] };
const LI: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-group'] };
const ZHOU: Principal = { sub: 'zhou.min', name: '周敏', groups: ['supervisor'] };
const ZHANG: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const LEADER: Principal = { sub: 'huang.li', name: '黄丽', groups: ['leading-group'] };
const AUDIT: Principal = { sub: 'qian.jun', name: '钱军', groups: ['audit-bureau'] };

const VALID_DISPOSITION = { disposition: 'preliminary-verification', opinion: '经集体研究，予以初步核实', studiedOn: '2026-11-23', fourForms: 2 };

interface Task {
  id: string;
  processInstanceId: string;
  taskId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  owner: string | null;
  delegation: string | null;
  state: string;
  dueDate: string | null;
  warnings: string[];
  completedBy: string | null;
  overdue: boolean;
  workingDaysLeft: number | null;
}

interface Page {
  items: Task[];
  total: number;
}

interface Refusal {
  error: string;
  message: string;
  details?: Record<string, unknown>;
}


/** A task as the workflow hands it to the read models: a case-office task named 研究处置方式, with what a test varies. */
function taskView(change: Pick<TaskView, 'taskId' | 'revision' | 'state' | 'assignee'> & Partial<TaskView>): TaskView {
  return {
    elementId: 'Dispose',
    name: '研究处置方式',
    owner: null,
    delegation: null,
    candidateGroups: ['commission-case-office'],
    candidateUsers: [],
    priority: 50,
    dueDate: null,
    followUpDate: null,
    formId: null,
    formKey: null,
    warnings: [],
    createdAt: Date.now(),
    claimedAt: null,
    endedAt: null,
    completedBy: null,
    requestId: null,
    ...change,
  };
}

describe('user tasks: inbox, claims, hand-overs and completion', () => {
  let database: TestDatabase;
  let api: TestApp;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    client = api.app.get<Client>(TEMPORAL_CLIENT);
    await deployAll(api, [DISPOSAL, REQUEST]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const start = (key: string, variables: Record<string, unknown> = {}, businessKey?: string): Promise<string> =>
    startInstance(api, key, { variables, businessKey });
  const taskOf = (instanceId: string, elementId: string, as?: Principal): Promise<Task> => waitForTask<Task>(api, instanceId, elementId, as);

  describe('authentication', () => {
    /** A token signed with `secret` (the test secret by default) as this server's own: its issuer, audience and an expiry. */
    const signed = (claims: Record<string, unknown>, subject?: string, secret = api.config.auth.jwtSecret): string =>
      new JwtService({ secret }).sign(claims, {
        ...(subject ? { subject } : {}),
        issuer: api.config.auth.issuers[0]!,
        audience: api.config.auth.audience,
        ...('exp' in claims ? {} : { expiresIn: 600 }),
      });

    it('answers 401 naming the reason without a token, with a bad one, or an expired one', async () => {
      const missing = await api.get('/tasks', null);
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ error: 'unauthenticated', message: expect.stringContaining('missing bearer token') });

      const forged = await fetch(`${api.url}/tasks`, {
        headers: { authorization: `Bearer ${signed({ name: 'x', groups: [] }, 'x', 'another-secret-of-at-least-32-chars!!')}` },
      });
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as Refusal).message).toContain('invalid signature');

      const expired = await fetch(`${api.url}/tasks`, {
        headers: {
          authorization: `Bearer ${signed({ name: 'x', groups: [], exp: Math.floor(Date.now() / 1000) - 60 }, 'x')}`,
        },
      });
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as Refusal).message).toBe('the token has expired');

      const noGroups = await fetch(`${api.url}/tasks`, {
        headers: { authorization: `Bearer ${signed({ name: 'x' }, 'x')}` },
      });
      expect(noGroups.status).toBe(401);
      expect(((await noGroups.json()) as Refusal).message).toContain('no groups claim');

      for (const [claims, subject, reason] of [
        [{ groups: [] }, 'x', 'no name claim'],
        [{ name: 'x', groups: [] }, undefined, 'no subject (sub)'],
        [{ name: 'x', groups: 'admin' }, 'x', 'no groups claim'],
      ] as const) {
        const token = signed({ ...claims }, subject);
        const refused = await fetch(`${api.url}/tasks`, { headers: { authorization: `Bearer ${token}` } });
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as Refusal).message).toContain(reason);
      }

      const scheme = await fetch(`${api.url}/tasks`, { headers: { authorization: 'Basic eDp5' } });
      expect(scheme.status).toBe(401);
      expect(((await scheme.json()) as Refusal).message).toContain('"Bearer <token>"');
    });

    it('issues development tokens outside production; an unknown user needs name and groups', async () => {
      const issued = await api.post('/auth/dev-token', { sub: 'chen.jing', name: '陈静', groups: ['stationed-commission-group'] }, null);
      expect(issued.status).toBe(200);
      const token = (issued.body as { access_token: string }).access_token;
      const me = await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toEqual({ sub: 'chen.jing', name: '陈静', groups: ['stationed-commission-group'] });
      const unknown = await api.post('/auth/dev-token', { sub: 'nobody' }, null);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ error: 'invalid-request', details: { field: 'name' } });
      const health = await api.get('/health', null);
      expect(health.status).toBe(200);
    });

    it('lists the user directory to signed-in callers only', async () => {
      await api.app.get(UserRepository).seed([WANG, SUN]);
      const users = await api.get('/users', LI);
      expect(users.status).toBe(200);
      expect(users.body).toEqual([
        { sub: 'sun.li', name: '孙丽', groups: ['commission-case-office'], unit: null },
        { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'], unit: null },
      ]);
      expect((await api.get('/users', null)).status).toBe(401);
      // A seeded user gets a token by id alone.
      const issued = await api.post('/auth/dev-token', { sub: 'sun.li' }, null);
      expect(issued.status).toBe(200);
      const me = await fetch(`${api.url}/auth/me`, { headers: { authorization: `Bearer ${(issued.body as { access_token: string }).access_token}` } });
      expect(await me.json()).toEqual({ sub: 'sun.li', name: '孙丽', groups: ['commission-case-office'] });
      const blank = await api.post('/auth/dev-token', { sub: 'has space' }, null);
      expect(blank.status).toBe(400);
      expect(JSON.stringify(blank.body)).toContain('sub must not contain spaces');
    });
  });

  it('mirrors the task: due on the working-day calendar, visible to its candidates and overseers only', async () => {
    const instanceId = await start('task-clue-disposal', {}, 'XC-2026-101');
    const task = await taskOf(instanceId, 'Dispose', WANG);
    expect(task).toMatchObject({ name: '研究处置方式', state: 'created', assignee: null, overdue: false, workingDaysLeft: 10, warnings: [] });

    // The caller's inbox: candidates and supervisors see it, others do not.
    const inbox = (await api.get('/tasks', WANG)).body as Page;
    expect(inbox.items.map((t) => t.id)).toContain(task.id);
    const other = (await api.get('/tasks', LI)).body as Page;
    expect(other.items.map((t) => t.id)).not.toContain(task.id);
    const hidden = await api.get(`/tasks/${task.id}`, LI);
    expect(hidden.status).toBe(403);
    expect(hidden.body).toMatchObject({ error: 'forbidden', details: { reason: 'not-visible' } });
    const overseen = await api.get(`/tasks/${task.id}`, ZHOU);
    expect(overseen.status).toBe(200);
    expect(overseen.body).toMatchObject({ form: { id: 'clue-disposition' }, variables: {} });

    // Supervisors read but do not act.
    const meddling = await api.post(`/tasks/${task.id}/claim`, {}, ZHOU);
    expect(meddling.status).toBe(403);
    expect((meddling.body as Refusal).message).toContain('not a candidate');
    expect((await api.get('/tasks/999999', WANG)).status).toBe(404);
  });

  it('claims, unclaims, assigns, delegates and resolves, refusing each wrong move with its reason', async () => {
    const instanceId = await start('task-clue-disposal');
    const { id } = await taskOf(instanceId, 'Dispose', WANG);

    const claimed = await api.post(`/tasks/${id}/claim`, {}, WANG);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ state: 'claimed', assignee: 'wang.fang' });
    const taken = await api.post(`/tasks/${id}/claim`, {}, SUN);
    expect(taken.status).toBe(409);
    expect((taken.body as Refusal).message).toBe(`user task "${(claimed.body as Task).taskId}" is already claimed by wang.fang`);
    const notYours = await api.post(`/tasks/${id}/unclaim`, {}, SUN);
    expect(notYours.status).toBe(403);
    expect((notYours.body as Refusal).message).toContain('only they may give it back');

    expect((await api.post(`/tasks/${id}/unclaim`, {}, WANG)).body).toMatchObject({ state: 'created', assignee: null });
    const notClaimed = await api.post(`/tasks/${id}/unclaim`, {}, WANG);
    expect(notClaimed.status).toBe(409);
    expect((notClaimed.body as Refusal).message).toContain('is not claimed');

    // Only people of the directory take a task.
    const stranger = await api.post(`/tasks/${id}/assign`, { user: 'nobody.here' }, WANG);
    expect(stranger).toMatchObject({ status: 400, body: { error: 'invalid-request', details: { field: 'user' } } });
    await api.app.get(UserRepository).seed([LI]);
    const assigned = await api.post(`/tasks/${id}/assign`, { user: 'sun.li' }, WANG);
    expect(assigned.body).toMatchObject({ state: 'claimed', assignee: 'sun.li' });
    const noUser = await api.post(`/tasks/${id}/assign`, {}, SUN);
    expect(noUser.status).toBe(400);
    expect(noUser.body).toMatchObject({ error: 'bad-request' });

    const delegated = await api.post(`/tasks/${id}/delegate`, { user: 'li.na' }, SUN);
    expect(delegated.body).toMatchObject({ assignee: 'li.na', owner: 'sun.li', delegation: 'pending' });
    // The delegate now sees it, works on it, but the owner completes it.
    await waitFor("the delegated task in the delegate's inbox", async () =>
      ((await api.get('/tasks', LI)).body as Page).items.some((t) => t.id === id && t.assignee === 'li.na') ? true : undefined,
    );
    const early = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION }, LI);
    expect(early.status).toBe(409);
    expect((early.body as Refusal).message).toContain('resolve it');
    const ownerMeanwhile = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION }, SUN);
    expect(ownerMeanwhile.status).toBe(403);
    expect((ownerMeanwhile.body as Refusal).message).toContain('is assigned to li.na');

    const resolved = await api.post(`/tasks/${id}/resolve`, {}, LI);
    expect(resolved.body).toMatchObject({ assignee: 'sun.li', owner: 'sun.li', delegation: 'resolved' });
    const again = await api.post(`/tasks/${id}/resolve`, {}, SUN);
    expect(again.status).toBe(409);
    expect((again.body as Refusal).message).toContain('is not delegated');

    // The read model follows the workflow.
    await waitFor('the read model to show the resolved task', async () => {
      const row = (await api.get(`/tasks/${id}`, SUN)).body as Task;
      return row.delegation === 'resolved' && row.assignee === 'sun.li' ? row : undefined;
    });
  });

  it('refuses every other wrong hand-over with 403 or 409 and the reason, and oversized or malformed variables', async () => {
    const instanceId = await start('task-clue-disposal');
    const { id } = await taskOf(instanceId, 'Dispose', WANG);
    const refusals: Array<[string, Record<string, unknown>, Principal, number, string]> = [
      // Nobody may hand over a task they are not a candidate of (a supervisor sees it, but may not act).
      ['assign', { user: 'li.na' }, ZHOU, 403, 'you are not a candidate'],
      // Someone who may not even see it is told so.
      ['assign', { user: 'li.na' }, LI, 403, 'is not assigned to you, you are not one of its candidates'],
      // Only the assignee delegates.
      ['delegate', { user: 'li.na' }, WANG, 403, 'before delegating it'],
    ];
    for (const [action, body, as, status, reason] of refusals) {
      const refused = await api.post(`/tasks/${id}/${action}`, body, as);
      expect(refused.status).toBe(status);
      expect((refused.body as Refusal).message).toContain(reason);
    }
    expect((await api.post(`/tasks/${id}/claim`, {}, WANG)).status).toBe(200);
    const self = await api.post(`/tasks/${id}/delegate`, { user: 'wang.fang' }, WANG);
    expect(self.status).toBe(409);
    expect((self.body as Refusal).message).toContain('cannot be delegated to its own assignee');
    const otherAssign = await api.post(`/tasks/${id}/assign`, { user: 'li.na' }, SUN);
    expect(otherAssign.status).toBe(403);
    expect((otherAssign.body as Refusal).message).toContain('is assigned to wang.fang');
    expect((await api.post(`/tasks/${id}/delegate`, { user: 'li.na' }, WANG)).status).toBe(200);
    await waitFor('the delegate to see the task', async () => ((await api.get(`/tasks/${id}`, LI)).status === 200 ? true : undefined));
    for (const [action, body, as, status, reason] of [
      ['unclaim', {}, LI, 409, 'is delegated: resolve it instead'],
      ['assign', { user: 'sun.li' }, LI, 409, 'is delegated: resolve it first'],
      ['resolve', {}, WANG, 403, 'only they may resolve it'],
      ['delegate', { user: 'sun.li' }, WANG, 403, 'is assigned to li.na'],
    ] as Array<[string, Record<string, unknown>, Principal, number, string]>) {
      const refused = await api.post(`/tasks/${id}/${action}`, body, as);
      expect(refused.status).toBe(status);
      expect((refused.body as Refusal).message).toContain(reason);
    }
    const huge = await api.post(`/tasks/${id}/complete`, { variables: { opinion: 'x'.repeat(300 * 1024) } }, LI);
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'payload-too-large', details: { field: 'variables' } });
    const notObject = await api.post(`/tasks/${id}/complete`, { variables: [1, 2] }, LI);
    expect(notObject.status).toBe(400);
    expect(JSON.stringify(notObject.body)).toContain('variables');
    await api.post(`/process-instances/${instanceId}/cancel`, {});
  });

  it('checks the variables against the form: required fields, types and enumerations (422 naming the field)', async () => {
    const instanceId = await start('task-clue-disposal');
    const { id } = await taskOf(instanceId, 'Dispose', WANG);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...VALID_DISPOSITION, disposition: undefined }, 'disposition', 'disposition (处置方式) is required'],
      [{ ...VALID_DISPOSITION, disposition: 'dismiss' }, 'disposition', 'must be one of'],
      [{ ...VALID_DISPOSITION, opinion: 42 }, 'opinion', 'must be text'],
      [{ ...VALID_DISPOSITION, studiedOn: '23/11/2026' }, 'studiedOn', 'must be a date (YYYY-MM-DD)'],
      [{ ...VALID_DISPOSITION, fourForms: 5 }, 'fourForms', 'must be one of'],
      [{ ...VALID_DISPOSITION, restrictedKnowledge: 'yes' }, 'restrictedKnowledge', 'must be true or false'],
    ];
    for (const [variables, field, message] of cases) {
      const refused = await api.post(`/tasks/${id}/complete`, { variables }, WANG);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: 'invalid-variables', details: { field, form: 'clue-disposition' } });
      expect((refused.body as Refusal).message).toContain(message);
    }
    // Every offending field at once, each with a stable code, in the form's order.
    const several = await api.post(`/tasks/${id}/complete`, { variables: { opinion: 42, studiedOn: '2026-02-30', fourForms: 5 } }, WANG);
    expect(several.status).toBe(422);
    expect((several.body as { details: { field: string; fields: Array<{ field: string; code: string }> } }).details).toMatchObject({
      field: 'disposition',
      fields: [
        { field: 'disposition', code: 'required' },
        { field: 'opinion', code: 'not-text' },
        { field: 'fourForms', code: 'not-an-option' },
        { field: 'studiedOn', code: 'not-a-date' },
      ],
    });
    // Nothing was half-done: the task is still open.
    expect(((await api.get(`/tasks/${id}`, WANG)).body as Task).state).toBe('created');
  });

  it('completes once per request id: the same request gets the same answer, another gets 409', async () => {
    const instanceId = await start('task-clue-disposal');
    const { id } = await taskOf(instanceId, 'Dispose', WANG);
    const stranger = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION }, LI);
    expect(stranger.status).toBe(403);

    const first = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION, requestId: 'req-1' }, WANG);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'completed', completedBy: 'wang.fang' });
    const repeat = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION, requestId: 'req-1' }, WANG);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    const other = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION, requestId: 'req-2' }, WANG);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: 'conflict', details: { reason: 'not-open' } });

    const instance = await waitFor('the instance to complete', async () => {
      const detail = (await api.get(`/process-instances/${instanceId}`)).body as { state: string; variables: Record<string, unknown> };
      return detail.state === 'completed' ? detail : undefined;
    });
    expect(instance.variables).toMatchObject({ disposition: 'preliminary-verification' });
    // After the instance has ended, the same request still gets its answer.
    const late = await api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION, requestId: 'req-1' }, WANG);
    expect(late.status).toBe(200);
    expect(late.body).toEqual(first.body);
    const completions = await database.query<{ by: string }>(
      `SELECT by FROM instance_history WHERE instance_id = $1 AND kind = 'completed' AND element_id = 'Dispose'`,
      [instanceId],
    );
    expect(completions).toEqual([{ by: 'wang.fang' }]);
  });

  it('lets exactly one of 20 concurrent completions through; 19 get a clear 409; one history entry', async () => {
    const instanceId = await start('task-clue-disposal');
    const { id } = await taskOf(instanceId, 'Dispose', WANG);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post(`/tasks/${id}/complete`, { variables: VALID_DISPOSITION, requestId: `race-${i}` }, i % 2 ? WANG : SUN)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body).toMatchObject({ error: 'conflict', details: { reason: 'not-open' } });
      expect((refused.body as Refusal).message).toMatch(new RegExp(`^task ${id} is not open`));
    }
    await waitFor('the instance to complete', async () =>
      ((await api.get(`/process-instances/${instanceId}`)).body as { state: string }).state === 'completed' ? true : undefined,
    );
    const completions = await database.query(`SELECT seq FROM instance_history WHERE instance_id = $1 AND kind = 'completed' AND element_id = 'Dispose'`, [
      instanceId,
    ]);
    expect(completions).toHaveLength(1);
    const rows = await database.query(`SELECT state FROM user_task WHERE instance_id = $1`, [instanceId]);
    expect(rows).toEqual([{ state: 'completed' }]);
  });

  it('counts a task opened on 2026-09-28 to 2026-10-16 across the National Day break', async () => {
    // The instance runs on a virtual clock set to 2026-09-28, as the conformance suite does.
    const definition = await api.app.get(ProcessDefinitionRepository).latest('task-clue-disposal');
    const start = parseDateTime('2026-09-28T09:00:00+08:00');
    const input: ProcessWorkflowInput = {
      definition: { key: definition!.key, version: definition!.version },
      graph: definition!.graph,
      variables: {},
      businessKey: 'XC-2026-NATIONAL-DAY',
      clock: { now: start, horizon: start, scale: 1 },
      calendar: calendarFrom(chineseDaysCalendar(), 2025),
    };
    const workflowId = `tasks-national-day-${Date.now()}`;
    await api.app.get(ProcessInstanceRepository).register({ id: workflowId, definitionKey: definition!.key, definitionVersion: definition!.version, businessKey: input.businessKey, startedAt: new Date(start) });
    await client.workflow.start(PROCESS_WORKFLOW_TYPE, { workflowId, taskQueue: api.config.temporal.taskQueue, args: [input] });
    const task = await taskOf(workflowId, 'Dispose', WANG);
    expect(task.dueDate).toBe('2026-10-16T23:59:59+08:00');
    // Seen from today, long past: flagged overdue, with the working days it is late by.
    expect(task.overdue).toBe(true);
    expect(task.workingDaysLeft).toBeLessThan(0);
    const overdue = (await api.get('/tasks?overdue=true', WANG)).body as Page;
    expect(overdue.items.map((t) => t.id)).toContain(task.id);
    // On the deadline board it comes first (the earliest due), flagged.
    const board = (await api.get('/deadlines', WANG)).body as { items: Array<{ id: string; dueDate: string; overdue: boolean }> };
    expect(board.items[0]).toMatchObject({ id: task.id, dueDate: '2026-10-16T23:59:59+08:00', overdue: true });
    expect((await api.post(`/process-instances/${workflowId}/cancel`, {})).status).toBe(200);
  });

  it('orders the inbox by due date, no due date last, and filters by due date', async () => {
    const soon = await start('task-info-request', { dueIn: 'P2D', remindAfter: 'P10D', escalateAfter: 'P20D', withdrawAfter: 'P30D' });
    const later = await start('task-info-request', { dueIn: 'P5D', remindAfter: 'P10D', escalateAfter: 'P20D', withdrawAfter: 'P30D' });
    const [a, b] = [await taskOf(soon, 'Answer', AUDIT), await taskOf(later, 'Answer', AUDIT)];
    const page = (await api.get('/tasks?candidateGroup=audit-bureau', AUDIT)).body as Page;
    const order = page.items.map((t) => t.id);
    expect(order.indexOf(a.id)).toBeLessThan(order.indexOf(b.id));
    const descending = ((await api.get('/tasks?candidateGroup=audit-bureau&order=desc', AUDIT)).body as Page).items.map((t) => t.id);
    expect(descending.indexOf(b.id)).toBeLessThan(descending.indexOf(a.id));
    const before = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const due = ((await api.get(`/tasks?dueBefore=${encodeURIComponent(before)}`, AUDIT)).body as Page).items.map((t) => t.id);
    expect(due).toContain(a.id);
    expect(due).not.toContain(b.id);
    const paged = (await api.get('/tasks?candidateGroup=audit-bureau&pageSize=1&page=2', AUDIT)).body as Page & { page: number };
    expect(paged).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.items).toHaveLength(1);
    for (const [query, field] of [
      ['state=done', 'state'],
      ['overdue=maybe', 'overdue'],
      ['dueBefore=tomorrow', 'dueBefore'],
      ['sort=color', 'sort'],
      ['pageSize=500', 'pageSize'],
    ]) {
      const refused = await api.get(`/tasks?${query}`, AUDIT);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    for (const id of [soon, later]) await api.post(`/process-instances/${id}/cancel`, {});
  });

  it('reminds and then escalates an overdue request with non-interrupting timers, and cancels the task when withdrawn', async () => {
    const instanceId = await start('task-info-request', { dueIn: 'PT2S', remindAfter: 'PT3S', escalateAfter: 'PT5S', withdrawAfter: 'PT8S' }, 'ZXH-2026-07');
    const answer = await taskOf(instanceId, 'Answer', AUDIT);
    expect(answer.overdue).toBe(false);
    await waitFor('the request to be flagged overdue after its due time', async () => {
      const task = (await api.get(`/tasks/${answer.id}`, AUDIT)).body as Task;
      return task.overdue ? task : undefined;
    });
    const chase = await taskOf(instanceId, 'Chase', ZHANG);
    expect(chase).toMatchObject({ name: '催办征询函', state: 'created' });
    const supervise = await taskOf(instanceId, 'Supervise', LEADER);
    expect(supervise).toMatchObject({ name: '领导小组督办', state: 'created' });
    // Both reminders leave the request open; the interrupting timer then withdraws it.
    expect(((await api.get(`/tasks/${answer.id}`, AUDIT)).body as Task).state).toBe('created');
    const withdrawn = await waitFor('the request to be cancelled by the interrupting timer', async () => {
      const task = (await api.get(`/tasks/${answer.id}`, AUDIT)).body as Task;
      return task.state === 'cancelled' ? task : undefined;
    });
    expect(withdrawn.overdue).toBe(false);
    // Cancelling the instance cancels the remaining tasks.
    expect((await api.post(`/process-instances/${instanceId}/cancel`, {})).status).toBe(200);
    await waitFor('the reminders to be cancelled with the instance', async () => {
      const rows = await database.query<{ element_id: string; state: string }>(`SELECT element_id, state FROM user_task WHERE instance_id = $1 ORDER BY id`, [instanceId]);
      return rows.every((row) => row.state === 'cancelled') ? rows : undefined;
    });
    const timers = await database.query<{ element_id: string; state: string }>(`SELECT element_id, state FROM process_timer WHERE instance_id = $1 ORDER BY element_id`, [
      instanceId,
    ]);
    expect(timers).toEqual([
      { element_id: 'Escalate', state: 'fired' },
      { element_id: 'Remind', state: 'fired' },
      { element_id: 'Withdraw', state: 'fired' },
    ]);
  });

  it('writes a task once and never backwards when a recording is retried or arrives late', async () => {
    const repository = api.app.get(ProcessInstanceRepository);
    const task = (revision: number, state: TaskView['state'], assignee: string | null): TaskView =>
      taskView({ taskId: 'element-9', dueDate: '2026-10-16T23:59:59+08:00', revision, state, assignee });
    const record = (tasks: TaskView[]): InstanceRecord => ({
      instanceId: 'retry-instance',
      parentInstanceId: null,
      definition: { key: 'task-clue-disposal', version: 1 },
      businessKey: null,
      state: 'active',
      startedAt: Date.now(),
      endedAt: null,
      incidents: 0,
      variables: null,
      openSubscriptions: [],
      closedSubscriptions: [],
      tasks,
      timers: [],
      history: [{ seq: 0, at: Date.now(), kind: 'entered', elementId: 'Dispose', elementInstanceId: 'element-9', by: null, detail: null }],
    });
    await repository.record(record([task(0, 'created', null)]));
    await repository.record(record([task(0, 'created', null)]));
    await repository.record(record([task(1, 'claimed', 'wang.fang')]));
    await repository.record(record([task(0, 'created', null)]));
    const rows = await database.query(`SELECT state, assignee, revision FROM user_task WHERE instance_id = 'retry-instance'`);
    expect(rows).toEqual([{ state: 'claimed', assignee: 'wang.fang', revision: 1 }]);
    expect(await database.query(`SELECT seq FROM instance_history WHERE instance_id = 'retry-instance'`)).toEqual([{ seq: 0 }]);
  });

  it('skips a numbered write that arrives after a higher one, and takes a write naming a task twice', async () => {
    const repository = api.app.get(ProcessInstanceRepository);
    const task = (revision: number, state: TaskView['state'], assignee: string | null): TaskView => taskView({ taskId: 'element-4', revision, state, assignee });
    const timer = (state: 'pending' | 'fired'): InstanceRecord['timers'][number] => ({
      timerId: 'timer-7',
      elementId: 'Remind',
      name: '提醒',
      ownerTaskId: 'element-4',
      dueAt: Date.parse('2026-11-02T09:00:00+08:00'),
      state,
      warning: null,
    });
    const base = {
      instanceId: 'numbered-instance',
      parentInstanceId: null,
      definition: { key: 'task-clue-disposal', version: 1 },
      businessKey: null,
      startedAt: Date.now(),
      endedAt: null,
      variables: null,
      openSubscriptions: [],
      closedSubscriptions: [],
    };
    const first: InstanceRecord = {
      ...base,
      state: 'active',
      incidents: 0,
      tasks: [task(0, 'created', null)],
      timers: [timer('pending')],
      history: [{ seq: 0, at: Date.now(), kind: 'entered', elementId: 'Dispose', elementInstanceId: 'element-4', by: null, detail: null }],
      writeSeq: 1,
    };
    // The second write repeats the first (as a write after an unconfirmed carried one does), naming the task and the timer twice.
    const second: InstanceRecord = {
      ...base,
      state: 'incident',
      incidents: 1,
      tasks: [...first.tasks, task(1, 'claimed', 'wang.fang')],
      timers: [timer('pending'), timer('fired')],
      history: [...first.history, { seq: 1, at: Date.now(), kind: 'incident', elementId: 'Dispose', elementInstanceId: 'element-4', by: null, detail: null }],
      writeSeq: 2,
    };
    await repository.record(second);
    // The first arrives late: nothing of it applies, the instance row included.
    await repository.record(first);
    // And again (a retried attempt of the second): no change either.
    await repository.record(second);
    expect(await database.query(`SELECT state, incidents, write_seq FROM process_instance WHERE id = 'numbered-instance'`)).toEqual([
      { state: 'incident', incidents: 1, write_seq: '2' },
    ]);
    expect(await database.query(`SELECT state, assignee, revision FROM user_task WHERE instance_id = 'numbered-instance'`)).toEqual([
      { state: 'claimed', assignee: 'wang.fang', revision: 1 },
    ]);
    expect(await database.query(`SELECT state FROM process_timer WHERE instance_id = 'numbered-instance'`)).toEqual([{ state: 'fired' }]);
    expect(await database.query(`SELECT seq FROM instance_history WHERE instance_id = 'numbered-instance' ORDER BY seq`)).toEqual([{ seq: 0 }, { seq: 1 }]);
    // A write of an earlier release carries no number and always applies.
    await repository.record({ ...first, writeSeq: undefined, tasks: [], timers: [], history: [] });
    expect(await database.query(`SELECT state, write_seq FROM process_instance WHERE id = 'numbered-instance'`)).toEqual([{ state: 'active', write_seq: '2' }]);
  });

  describe('at scale', () => {
    const PAGER: Principal = { sub: 'he.jing', name: '何静', groups: ['paging-office'] };

    /** Walks a list by nextCursor, answering every id in the order given. */
    async function walk(query: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const path: string = `/tasks?${query}&pageSize=97${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await api.get(path, PAGER);
        expect(response.status).toBe(200);
        const body = response.body as Page & { nextCursor: string | null };
        ids.push(...body.items.map((task) => task.id));
        if (!body.nextCursor) return ids;
        cursor = body.nextCursor;
      }
      throw new Error('the cursor walk did not end');
    }

    it('pages by cursor in the list order, and answers an estimated total past 1,000 tasks', async () => {
      await database.query(`
        INSERT INTO user_task (instance_id, task_id, element_id, name, definition_key, candidate_groups, priority, due_at, state, created_at, revision)
        SELECT 'paging-' || g, 'element-1', 'Dispose', CASE WHEN g % 5 = 0 THEN NULL ELSE '核查' || (g % 17) END, 'task-clue-disposal',
          '["paging-office"]'::jsonb, 50 + g % 3,
          CASE WHEN g % 7 = 0 THEN NULL ELSE timestamptz '2026-12-01T00:00:00Z' + (g % 50) * interval '1 hour' END,
          'created', timestamptz '2026-11-01T00:00:00Z' + (g % 40) * interval '1 minute', 1
        FROM generate_series(1, 1005) g`);
      const first = await api.get('/tasks?pageSize=10', PAGER);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ totalExact: false, page: 1, pageSize: 10, nextCursor: expect.any(String) });
      expect((first.body as Page).total).toBeGreaterThan(1000);

      const expected = async (order: string): Promise<string[]> =>
        ((await database.query(`SELECT id::text AS id FROM user_task WHERE candidate_groups ? 'paging-office' ORDER BY ${order}, user_task.id`)) as Array<{ id: string }>).map((row) => row.id);
      expect(await walk('sort=dueDate')).toEqual(await expected('due_at ASC NULLS LAST'));
      expect(await walk('sort=dueDate&order=desc')).toEqual(await expected('due_at DESC NULLS LAST'));
      expect(await walk('sort=name&order=desc')).toEqual(await expected('name DESC NULLS LAST'));
      expect(await walk('sort=priority')).toEqual(await expected('priority ASC'));

      const narrow = await api.get('/tasks?dueBefore=2026-12-01T05:30:00Z&pageSize=5', PAGER);
      const { n } = ((await database.query(
        `SELECT count(*)::int AS n FROM user_task WHERE candidate_groups ? 'paging-office' AND due_at < '2026-12-01T05:30:00Z'`,
      )) as Array<{ n: number }>)[0]!;
      expect(n).toBeGreaterThan(50);
      expect(narrow.body).toMatchObject({ total: n, totalExact: true });
    });

    it('refuses a cursor made for another sort, or one it never gave out, naming the field', async () => {
      const { nextCursor } = (await api.get('/tasks?sort=dueDate&pageSize=3', PAGER)).body as { nextCursor: string };
      const other = await api.get(`/tasks?sort=created&cursor=${nextCursor}`, PAGER);
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({ error: 'invalid-request', details: { field: 'cursor' }, message: expect.stringContaining('another list or sort order') });
      const forged = await api.get(`/tasks?cursor=${Buffer.from('["tasks:dueDate:asc","x","1; DROP"]').toString('base64url')}`, PAGER);
      expect(forged.status).toBe(400);
      expect(forged.body).toMatchObject({ error: 'invalid-request', details: { field: 'cursor' } });
      expect((await api.get('/tasks?cursor=%%%', PAGER)).status).toBe(400);
    });
  });
});
