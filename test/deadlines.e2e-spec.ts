import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import type { Principal } from '@xuncha/contracts';
import { BUSINESS_KEY_ATTRIBUTE, DEFINITION_KEY_ATTRIBUTE, NEXT_DUE_AT_ATTRIBUTE } from '@xuncha/contracts';
import { ensureSearchAttributes } from '../apps/worker/src/search-attributes';
import { ProcessDefinitionRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { CalendarSource, encryptedDataConverter, InstanceLauncher, TEMPORAL_CLIENT } from '@xuncha/runtime';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance, taskOf } from './support/instances';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** A transferred clue: disposal within 10 working days, feedback every six months meanwhile, then a report within 20. */
const CLUE = `${BPMN_HEADER}
  <bpmn:process id="deadline-clue" name="问题线索处置" isExecutable="true">
    <bpmn:startEvent id="Start" name="收到线索" />
    <bpmn:userTask id="Dispose" name="研究处置方式">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="commission-case-office" />
        <zeebe:taskSchedule dueDate="=add working days(today(), 10)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Feedback" name="每六个月反馈" cancelActivity="false" attachedToRef="Dispose">
      <bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/P6M</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Report" name="报送办理情况">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="commission-case-office" />
        <zeebe:taskSchedule dueDate="=add working days(today(), 20)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="SendFeedback" name="反馈办理进展">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="commission-case-office" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" name="办结" />
    <bpmn:endEvent id="FeedbackSent" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Dispose" />
    <bpmn:sequenceFlow id="F2" sourceRef="Dispose" targetRef="Report" />
    <bpmn:sequenceFlow id="F3" sourceRef="Report" targetRef="End" />
    <bpmn:sequenceFlow id="F4" sourceRef="Feedback" targetRef="SendFeedback" />
    <bpmn:sequenceFlow id="F5" sourceRef="SendFeedback" targetRef="FeedbackSent" />
  </bpmn:process>
</bpmn:definitions>`;

/** The short-duration variant: an answer due a few seconds after it is asked. */
const QUICK = `${BPMN_HEADER}
  <bpmn:process id="deadline-quick" name="限时答复" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Answer" name="限时答复">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="audit-bureau" />
        <zeebe:taskSchedule dueDate="=now() + duration(&quot;PT3S&quot;)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Answer" />
    <bpmn:sequenceFlow id="F2" sourceRef="Answer" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Two steps; the second's due date is counted over New Year 2027, which the shipped data does not cover. */
const NEW_YEAR = `${BPMN_HEADER}
  <bpmn:process id="deadline-new-year" name="跨年期限" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="First" name="第一步"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="Second" name="第二步">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="inspection-office" />
        <zeebe:taskSchedule dueDate="=add working days(date(&quot;2026-12-31&quot;), 1)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="First" />
    <bpmn:sequenceFlow id="F2" sourceRef="First" targetRef="Second" />
    <bpmn:sequenceFlow id="F3" sourceRef="Second" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

const WANG: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };
const AUDIT: Principal = { sub: 'qian.jun', name: '钱军', groups: ['audit-bureau'] };
const ZHANG: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const LI: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-group'] };
const ZHOU: Principal = { sub: 'zhou.min', name: '周敏', groups: ['supervisor'] };

interface Deadline {
  kind: 'task' | 'timer';
  id: string;
  processInstanceId: string;
  businessKey: string | null;
  elementId: string;
  name: string | null;
  dueDate: string;
  who: { assignee: string | null; candidateGroups: string[] };
  overdue: boolean;
  workingDaysLeft: number;
  warning: string | null;
}

interface Board {
  items: Deadline[];
  total: number;
}

interface Task {
  id: string;
  elementId: string;
  state: string;
  dueDate: string | null;
  warnings: string[];
}

describe('deadlines, history, forecast and the calendar', () => {
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    await deployAll(api, [CLUE, QUICK, NEW_YEAR]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const start = (key: string, businessKey: string): Promise<string> => startInstance(api, key, { businessKey });
  const task = (instanceId: string, elementId: string, as: Principal): Promise<Task> => taskOf<Task>(api, instanceId, elementId, as);

  it('lists open tasks and pending timers soonest first, with who and working days left, and flags the overdue', async () => {
    const clue = await start('deadline-clue', 'XC-DL-1');
    const quick = await start('deadline-quick', 'ZX-DL-1');
    const board = await waitFor('both instances on the board', async () => {
      const page = (await api.get('/deadlines')).body as Board;
      const mine = page.items.filter((d) => d.processInstanceId === clue || d.processInstanceId === quick);
      return mine.length === 3 ? mine : undefined;
    });
    expect(board.map((d) => `${d.kind} ${d.elementId}`)).toEqual(['task Answer', 'task Dispose', 'timer Feedback']);
    const [answer, dispose, feedback] = board as [Deadline, Deadline, Deadline];
    expect(dispose).toMatchObject({ name: '研究处置方式', businessKey: 'XC-DL-1', overdue: false, workingDaysLeft: 10, who: { assignee: null, candidateGroups: ['commission-case-office'] } });
    // The six-month feedback concerns the people of the task it is attached to.
    expect(feedback).toMatchObject({ name: '每六个月反馈', who: { candidateGroups: ['commission-case-office'] }, overdue: false });
    expect(feedback.workingDaysLeft).toBeGreaterThan(100);
    expect(answer.overdue).toBe(false);

    // Filters: within, candidate group, business key; others see only their own.
    const week = ((await api.get('/deadlines?within=P7D')).body as Board).items.map((d) => d.elementId);
    expect(week).toContain('Answer');
    expect(week).not.toContain('Feedback');
    expect(((await api.get('/deadlines?candidateGroup=commission-case-office')).body as Board).items.map((d) => d.elementId)).toEqual(['Dispose', 'Feedback']);
    expect(((await api.get('/deadlines?businessKey=ZX-DL-1')).body as Board).items.map((d) => d.elementId)).toEqual(['Answer']);
    expect(((await api.get('/deadlines', WANG)).body as Board).items.map((d) => d.elementId)).toEqual(['Dispose', 'Feedback']);
    expect(((await api.get('/deadlines', LI)).body as Board).items).toEqual([]);
    expect(((await api.get('/deadlines', ZHOU)).body as Board).total).toBe(3);

    // After its due time the short deadline is flagged, first on the board.
    const overdue = await waitFor('the short deadline to be overdue', async () => {
      const items = ((await api.get('/deadlines?overdue=true', AUDIT)).body as Board).items;
      return items.length === 1 && items[0]!.overdue ? items : undefined;
    });
    expect(overdue[0]).toMatchObject({ elementId: 'Answer', overdue: true, workingDaysLeft: 0 });
    expect(((await api.get('/deadlines?overdue=false')).body as Board).items.map((d) => d.elementId)).toEqual(['Dispose', 'Feedback']);

    // A hand-over reaches the task's timers: once claimed, the feedback names the claimant.
    const claimed = await task(clue, 'Dispose', WANG);
    expect((await api.post(`/tasks/${claimed.id}/claim`, {}, WANG)).status).toBe(200);
    await waitFor('the feedback timer to name the claimant', async () => {
      const items = ((await api.get('/deadlines?candidateGroup=commission-case-office')).body as Board).items;
      return items.find((d) => d.elementId === 'Feedback')?.who.assignee === 'wang.fang' ? true : undefined;
    });

    // Completing a task takes it and its timers off the board.
    const open = await task(clue, 'Dispose', WANG);
    expect((await api.post(`/tasks/${open.id}/complete`, {}, WANG)).status).toBe(200);
    await waitFor('the disposal and its feedback timer to leave the board', async () => {
      const items = ((await api.get('/deadlines?candidateGroup=commission-case-office')).body as Board).items.map((d) => d.elementId);
      return items.length === 1 && items[0] === 'Report' ? items : undefined;
    });
    for (const [query, field] of [
      ['within=7days', 'within'],
      ['overdue=yes', 'overdue'],
      ['pageSize=0', 'pageSize'],
    ]) {
      const refused = await api.get(`/deadlines?${query}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    expect((await api.get('/deadlines', null)).status).toBe(401);
    for (const id of [clue, quick]) await api.post(`/process-instances/${id}/cancel`, {});
  });

  it('tells the history of an instance: element instances entered and left, by whom, with what outcome', async () => {
    const id = await start('deadline-clue', 'XC-DL-2');
    const dispose = await task(id, 'Dispose', WANG);
    expect((await api.post(`/tasks/${dispose.id}/complete`, {}, WANG)).status).toBe(200);
    const report = await task(id, 'Report', WANG);
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
    const history = await waitFor('the history to show the cancelled report', async () => {
      const body = (await api.get(`/process-instances/${id}/history`)).body as {
        elements: Array<{ elementId: string; name: string | null; outcome: string | null; by: string | null; leftAt: string | null; type: string | null }>;
        entries: Array<{ kind: string }>;
      };
      return body.elements.find((e) => e.elementId === 'Report')?.outcome === 'terminated' ? body : undefined;
    });
    expect(history.elements.map((e) => [e.elementId, e.outcome, e.by])).toEqual([
      ['deadline-clue', 'terminated', null],
      ['Start', 'completed', null],
      ['Dispose', 'completed', 'wang.fang'],
      ['Report', 'terminated', null],
    ]);
    expect(history.elements[2]).toMatchObject({ name: '研究处置方式', type: 'userTask' });
    expect(history.entries.at(-1)?.kind).toBe('instance-cancelled');
    expect(report.state).toBe('created');
    const missing = await api.get('/process-instances/nope/history');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not-found', message: 'process instance "nope" was not found' });
  });

  it('forecasts the deadlines ahead from the current state, each open task done on its due date', async () => {
    const id = await start('deadline-clue', 'XC-DL-3');
    const dispose = await task(id, 'Dispose', WANG);
    const forecast = (await api.get(`/process-instances/${id}/forecast?horizon=P1Y`)).body as {
      items: Array<{ kind: string; elementId: string; dueDate: string; predicted: boolean }>;
      stoppedBecause: string | null;
    };
    expect(forecast.items.map((i) => [i.kind, i.elementId, i.predicted])).toEqual([
      ['task-due', 'Dispose', false],
      ['task-due', 'Report', true],
      ['timer', 'Feedback', false],
    ]);
    expect(forecast.items[0]!.dueDate).toBe(dispose.dueDate);
    // The report is predicted 20 working days after the disposal's due date.
    expect(forecast.items[1]!.dueDate > forecast.items[0]!.dueDate).toBe(true);
    expect(forecast.stoppedBecause).toBe('the instance would be completed');
    const refused = await api.get(`/process-instances/${id}/forecast?horizon=soon`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('horizon');
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
    await waitFor('the cancelled instance to forecast nothing', async () => {
      const after = (await api.get(`/process-instances/${id}/forecast`)).body as { items: unknown[]; stoppedBecause: string };
      return after.stoppedBecause === 'the instance is cancelled' && after.items.length === 0 ? true : undefined;
    });
    expect((await api.get('/process-instances/nope/forecast')).status).toBe(404);
  });

  it('lets the process administrator enter next year: a running instance counts its later deadlines on it', async () => {
    const id = await start('deadline-new-year', 'NY-1');
    const first = await task(id, 'First', ZHANG);

    // Only admin edits; dates and kinds are checked.
    const denied = await api.put('/calendar/overrides/2027-01-01', { kind: 'holiday', note: '元旦' }, ZHANG);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: 'forbidden', details: { reason: 'permission', permission: 'calendar.edit' } });
    const badDate = await api.put('/calendar/overrides/2027-02-30', { kind: 'holiday' }, TEST_ADMIN);
    expect(badDate.status).toBe(400);
    expect(badDate.body).toMatchObject({ details: { field: 'date' } });
    const badKind = await api.put('/calendar/overrides/2027-01-01', { kind: 'rest' }, TEST_ADMIN);
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body)).toContain('kind');

    expect((await api.get('/calendar/coverage')).body).toMatchObject({ firstYear: 2004, lastYear: 2026 });
    const guessed = (await api.get('/calendar/days?from=2027-01-01&to=2027-01-01')).body as Array<{ covered: boolean; working: boolean }>;
    expect(guessed).toEqual([{ date: '2027-01-01', working: true, name: null, covered: false }]);

    const set = await api.put('/calendar/overrides/2027-01-01', { kind: 'holiday', note: '元旦' }, TEST_ADMIN);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ override: { date: '2027-01-01', kind: 'holiday', note: '元旦', updatedBy: 'e2e-admin' } });
    expect((set.body as { instancesNotified: number }).instancesNotified).toBeGreaterThanOrEqual(1);
    const published = await api.put('/calendar/years/2027', { note: '国务院办公厅关于2027年部分节假日安排的通知' }, TEST_ADMIN);
    expect(published.status).toBe(200);
    expect((await api.get('/calendar/coverage')).body).toMatchObject({ lastYear: 2027 });
    expect((await api.get('/calendar/overrides', ZHANG)).body).toEqual([expect.objectContaining({ date: '2027-01-01', kind: 'holiday', note: '元旦' })]);
    expect((await api.get('/calendar/years', ZHANG)).body).toEqual([expect.objectContaining({ year: 2027, publishedBy: 'e2e-admin' })]);
    expect((await api.put('/calendar/years/2028', {}, ZHANG)).status).toBe(403);
    expect((await api.put('/calendar/years/next', {}, TEST_ADMIN)).status).toBe(400);
    expect((await api.get('/calendar/days?from=2027-01-01&to=2027-01-04')).body).toEqual([
      { date: '2027-01-01', working: false, name: '元旦', covered: true },
      { date: '2027-01-02', working: false, name: null, covered: true },
      { date: '2027-01-03', working: false, name: null, covered: true },
      { date: '2027-01-04', working: true, name: null, covered: true },
    ]);

    // The instance started before the edit; its next due date counts on the new days.
    expect((await api.post(`/tasks/${first.id}/complete`, {}, ZHANG)).status).toBe(200);
    const second = await task(id, 'Second', ZHANG);
    expect(second).toMatchObject({ dueDate: '2027-01-04T23:59:59+08:00', warnings: [] });

    expect((await api.delete('/calendar/years/2027', TEST_ADMIN)).status).toBe(200);
    expect((await api.delete('/calendar/years/2027', TEST_ADMIN)).status).toBe(404);
    expect((await api.delete('/calendar/overrides/2027-01-01', TEST_ADMIN)).status).toBe(200);
    const gone = await api.delete('/calendar/overrides/2027-01-01', TEST_ADMIN);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: 'not-found' });
    const range = await api.get('/calendar/days?from=2027-01-04&to=2027-01-01');
    expect(range.status).toBe(400);
    expect(range.body).toMatchObject({ details: { field: 'to' } });
    await api.post(`/process-instances/${id}/cancel`, {});
  });

  it('flags a due date counted on a year without official data, on the task and on the board', async () => {
    const id = await start('deadline-new-year', 'NY-2');
    const first = await task(id, 'First', ZHANG);
    expect((await api.post(`/tasks/${first.id}/complete`, {}, ZHANG)).status).toBe(200);
    const second = await task(id, 'Second', ZHANG);
    expect(second.dueDate).toBe('2027-01-01T23:59:59+08:00');
    expect(second.warnings).toEqual([expect.stringContaining('no official working-day calendar for 2027')]);
    const board = ((await api.get('/deadlines?businessKey=NY-2')).body as Board).items;
    expect(board).toEqual([expect.objectContaining({ elementId: 'Second', warning: expect.stringContaining('2027') })]);
    await api.post(`/process-instances/${id}/cancel`, {});
  });

  it('keeps the search attributes BusinessKey, DefinitionKey and NextDueAt current, so Temporal UI filters work', async () => {
    const client = api.app.get<Client>(TEMPORAL_CLIENT);
    const id = await start('deadline-clue', 'XC-SA-1');
    const dispose = await task(id, 'Dispose', WANG);
    const described = await waitFor('NextDueAt to be set', async () => {
      const description = await client.workflow.getHandle(id).describe();
      return description.typedSearchAttributes.get(NEXT_DUE_AT_ATTRIBUTE) ? description : undefined;
    });
    expect(described.typedSearchAttributes.get(BUSINESS_KEY_ATTRIBUTE)).toBe('XC-SA-1');
    expect(described.typedSearchAttributes.get(DEFINITION_KEY_ATTRIBUTE)).toBe('deadline-clue');
    expect(described.typedSearchAttributes.get(NEXT_DUE_AT_ATTRIBUTE)?.getTime()).toBe(Date.parse(dispose.dueDate!));

    // The visibility store answers list queries by them (as Temporal UI's filter does).
    const listed = await waitFor('the instance in a BusinessKey query', async () => {
      const ids: string[] = [];
      for await (const workflow of client.workflow.list({ query: `BusinessKey = 'XC-SA-1' AND DefinitionKey = 'deadline-clue'` })) ids.push(workflow.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(listed).toEqual([id]);

    // Completing the disposal moves the next deadline to the report's due date.
    expect((await api.post(`/tasks/${dispose.id}/complete`, {}, WANG)).status).toBe(200);
    const report = await task(id, 'Report', WANG);
    await waitFor('NextDueAt to follow the report', async () => {
      const next = (await client.workflow.getHandle(id).describe()).typedSearchAttributes.get(NEXT_DUE_AT_ATTRIBUTE);
      return next?.getTime() === Date.parse(report.dueDate!) ? true : undefined;
    });
    await api.post(`/process-instances/${id}/cancel`, {});
  });

  it('registers the search attributes in a namespace that lacks them, once', async () => {
    const namespace = `xuncha-sa-${Date.now()}`;
    const connection = await NativeConnection.connect({ address: api.config.temporal.address });
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
      // Before any worker registered them, an instance still starts there (without them; its workflow sets them).
      const elsewhere = new Client({ connection: await Connection.connect({ address: api.config.temporal.address }), namespace, dataConverter: encryptedDataConverter(api.config.payload) });
      const launcher = new InstanceLauncher(elsewhere, api.config, api.app.get(ProcessInstanceRepository), api.app.get(CalendarSource));
      const version = (await api.app.get(ProcessDefinitionRepository).latest('deadline-clue'))!;
      const id = `sa-fallback-${Date.now()}`;
      expect(await launcher.launch({ id, definition: version, variables: {}, businessKey: 'XC-SA-1' })).toBe(true);
      expect((await elsewhere.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
      await elsewhere.workflow.getHandle(id).terminate('test over');
      await elsewhere.connection.close();
      expect((await ensureSearchAttributes(connection, namespace)).sort()).toEqual(['BusinessKey', 'DefinitionKey', 'NextDueAt', 'UnitId']);
      expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  describe('at scale', () => {
    const BOARD: Principal = { sub: 'xu.ming', name: '徐明', groups: ['board-office'] };

    it('pages the board by cursor in due order (tasks before timers at the same instant) and estimates a total past 1,000', async () => {
      await database.query(`
        INSERT INTO user_task (instance_id, task_id, element_id, name, definition_key, candidate_groups, due_at, state, created_at, revision)
        SELECT 'board-' || g, 'element-1', 'Report', '报告', 'board', '["board-office"]'::jsonb,
          timestamptz '2027-03-01T00:00:00Z' + (g % 60) * interval '1 minute', CASE WHEN g % 4 = 0 THEN 'claimed' ELSE 'created' END, now(), 1
        FROM generate_series(1, 1005) g`);
      await database.query(`
        INSERT INTO process_timer (instance_id, timer_id, element_id, name, owner_task_id, definition_key, due_at, state, candidate_groups)
        SELECT 'board-' || g, 'timer-' || s, 'Remind', '催办', 'element-1', 'board',
          timestamptz '2027-03-01T00:00:00Z' + (g % 60) * interval '1 minute', 'pending', '["board-office"]'::jsonb
        FROM generate_series(1, 300) g, generate_series(1, 2) s`);
      const expected = ((await database.query(`
        SELECT kind || ':' || id AS key FROM (
          SELECT 'task' AS kind, t.id::text AS id, t.instance_id, t.due_at, t.id AS n, '' AS timer FROM user_task t
          WHERE t.state IN ('created', 'claimed') AND t.due_at IS NOT NULL AND t.candidate_groups ? 'board-office'
          UNION ALL
          SELECT 'timer', p.timer_id, p.instance_id, p.due_at, 0, p.timer_id FROM process_timer p
          WHERE p.state = 'pending' AND p.candidate_groups ? 'board-office'
        ) d ORDER BY due_at, kind, instance_id, n, timer`)) as Array<{ key: string }>).map((row) => row.key);
      expect(expected).toHaveLength(1605);

      const first = await api.get('/deadlines?pageSize=10', BOARD);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ totalExact: false, nextCursor: expect.any(String) });
      expect((first.body as { total: number }).total).toBeGreaterThan(1000);

      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 40 && (pages === 0 || cursor); pages++) {
        const response = await api.get(`/deadlines?pageSize=73${cursor ? `&cursor=${cursor}` : ''}`, BOARD);
        expect(response.status).toBe(200);
        const body = response.body as { items: Array<{ kind: string; id: string }>; nextCursor: string | null };
        seen.push(...body.items.map((item) => `${item.kind}:${item.id}`));
        cursor = body.nextCursor;
      }
      expect(cursor).toBeNull();
      expect(seen).toEqual(expected);

      // Page numbers still work, and agree with the cursor walk.
      const third = (await api.get('/deadlines?pageSize=73&page=3', BOARD)).body as { items: Array<{ kind: string; id: string }> };
      expect(third.items.map((item) => `${item.kind}:${item.id}`)).toEqual(expected.slice(146, 219));

      const timersOnly = await api.get('/deadlines?businessKey=none-such', BOARD);
      expect(timersOnly.body).toMatchObject({ items: [], total: 0, totalExact: true, nextCursor: null });
    });

    it('refuses a cursor of another list, or a forged one, naming the field', async () => {
      const tasksCursor = Buffer.from(JSON.stringify(['tasks:dueDate:asc', null, '1'])).toString('base64url');
      const other = await api.get(`/deadlines?cursor=${tasksCursor}`, BOARD);
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({ error: 'invalid-request', details: { field: 'cursor' }, message: expect.stringContaining('another list') });
      const forged = await api.get(`/deadlines?cursor=${Buffer.from(JSON.stringify(['deadlines', 'soon', 'task', 'x', '1'])).toString('base64url')}`, BOARD);
      expect(forged.status).toBe(400);
      expect(forged.body).toMatchObject({ error: 'invalid-request', details: { field: 'cursor' } });
    });
  });
});
