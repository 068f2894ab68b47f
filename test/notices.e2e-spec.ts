import type { Principal } from '@xuncha/contracts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance, taskOf } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** A check due in three seconds, with a reminder (催办) one second in that leaves the task open. */
const PROBE = `${BPMN_HEADER}
  <bpmn:process id="notice-probe" name="通知探针" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Check" name="核对材料">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="audit-bureau" />
        <zeebe:taskSchedule dueDate="=now() + duration(&quot;PT3S&quot;)" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Remind" name="提醒：请尽快核对" cancelActivity="false" attachedToRef="Check">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="Done" />
    <bpmn:endEvent id="Reminded" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="Done" />
    <bpmn:sequenceFlow id="F3" sourceRef="Remind" targetRef="Reminded" />
  </bpmn:process>
</bpmn:definitions>`;

const QIAN: Principal = { sub: 'qian.jun', name: '钱军', groups: ['audit-bureau'] };
const SUN: Principal = { sub: 'sun.hong', name: '孙红', groups: ['audit-bureau'] };
const WANG: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };
const ZHOU: Principal = { sub: 'zhou.min', name: '周敏', groups: ['supervisor'] };
const AUDITOR: Principal = { sub: 'shen.ji', name: '沈计', groups: ['auditor'] };

interface Notice {
  key: string;
  kind: string;
  title: string;
  detail: string | null;
  at: string;
  target: { type: string; id: string | null };
  read: boolean;
}

interface Feed {
  items: Notice[];
  unread: number;
}

describe('notices', () => {
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    await deployAll(api, [PROBE]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const feed = async (as: Principal): Promise<Feed> => {
    const answer = await api.get('/notices', as);
    expect(answer.status).toBe(200);
    return answer.body as Feed;
  };
  const readRows = async (): Promise<number> => Number(((await database.query('SELECT count(*) AS n FROM notice_read')) as Array<{ n: string }>)[0]!.n);

  it('rings for a task offered, its reminder and its lateness, for those who work it only, and keeps what each has read', async () => {
    const instanceId = await startInstance(api, 'notice-probe', { businessKey: 'NT-1' });
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', QIAN);

    const rung = await waitFor('the task, its reminder and its lateness in the feed', async () => {
      const current = await feed(QIAN);
      const kinds = current.items.map((notice) => notice.kind);
      return kinds.includes('task') && kinds.includes('reminder') && kinds.includes('overdue') ? current : undefined;
    });
    const byKind = (kind: string): Notice => rung.items.find((notice) => notice.kind === kind)!;
    expect(rung.items[0]!.kind).toBe('overdue');
    expect(byKind('overdue')).toMatchObject({ title: '有 1 项任务已逾期', detail: '请尽快办理', target: { type: 'deadlines', id: null }, read: false });
    expect(byKind('overdue').key).toMatch(/^overdue:\d{4}-\d{2}-\d{2}$/);
    expect(byKind('task')).toMatchObject({ key: `task:${task.id}`, title: '新任务待认领：核对材料（NT-1）', target: { type: 'task', id: task.id }, read: false });
    expect(byKind('task').detail).toMatch(/^截止 \d{4}年\d{1,2}月\d{1,2}日$/);
    expect(byKind('reminder')).toMatchObject({ title: '催办：核对材料（NT-1）', detail: '提醒：请尽快核对', target: { type: 'task', id: task.id }, read: false });
    expect(byKind('reminder').key).toMatch(new RegExp(`^reminder:${instanceId}:`));
    expect(byKind('task').at).toMatch(/\+08:00$/);
    expect(rung.unread).toBe(3);

    // Not theirs to work: another body, and an overseer (whose view of every task is the deadline board).
    for (const other of [WANG, ZHOU]) expect((await feed(other)).items.filter((notice) => notice.target.id === task.id)).toEqual([]);

    // Read once, read for good; a key no longer in the feed is named back and not stored.
    expect(await api.post('/notices/read', { keys: [`task:${task.id}`, 'task:999999', `task:${task.id}`] }, QIAN)).toEqual({
      status: 200,
      body: { marked: 1, skipped: ['task:999999'] },
    });
    const after = await feed(QIAN);
    expect(after.items.find((notice) => notice.kind === 'task')?.read).toBe(true);
    expect(after.unread).toBe(2);
    expect((await api.post('/notices/read', { keys: [`task:${task.id}`] }, QIAN)).body).toEqual({ marked: 1, skipped: [] });
    expect(await readRows()).toBe(1);
    // What one colleague read stays unread for the other.
    expect((await feed(SUN)).items.find((notice) => notice.key === `task:${task.id}`)?.read).toBe(false);

    // Claimed by a colleague, it is no longer offered to the others.
    expect((await api.post(`/tasks/${task.id}/claim`, {}, SUN)).status).toBe(200);
    await waitFor('the claimed task gone from the other candidate’s feed', async () =>
      (await feed(QIAN)).items.some((notice) => notice.target.id === task.id) ? undefined : true,
    );
    expect((await feed(SUN)).items.find((notice) => notice.key === `task:${task.id}`)?.title).toBe('交您办理：核对材料（NT-1）');

    // Done, it leaves every feed.
    expect((await api.post(`/tasks/${task.id}/complete`, { variables: {} }, SUN)).status).toBe(200);
    await waitFor('the completed task gone from the feed', async () => ((await feed(SUN)).items.some((notice) => notice.target.id === task.id) ? undefined : true));
    expect((await feed(SUN)).items.filter((notice) => notice.kind === 'overdue')).toEqual([]);
  });

  it('refuses the administrators, a missing token and malformed keys, storing nothing', async () => {
    const stored = await readRows();
    expect(await api.get('/notices', AUDITOR)).toMatchObject({ status: 403, body: { error: 'forbidden', details: { reason: 'permission', permission: 'tasks.work' } } });
    expect(await api.post('/notices/read', { keys: ['task:1'] }, AUDITOR)).toMatchObject({ status: 403, body: { details: { reason: 'permission', permission: 'tasks.work' } } });
    expect(await api.get('/notices', null)).toMatchObject({ status: 401 });
    const malformed: Array<[unknown, string]> = [
      [{}, 'keys must be a list of notice keys'],
      [{ keys: [] }, 'keys must name at least one notice'],
      [{ keys: ['task:1', 'bell:1'] }, 'each of keys must be a key GET /notices gave out'],
      [{ keys: ['task:1', 42] }, 'each of keys must be a notice key'],
      [{ keys: Array.from({ length: 201 }, (_, i) => `task:${i}`) }, 'keys must name at most 200 notices'],
      [{ keys: [`task:${'9'.repeat(400)}`] }, 'each of keys must be at most 400 characters'],
    ];
    for (const [body, message] of malformed) {
      expect(await api.post('/notices/read', body, QIAN)).toMatchObject({ status: 400, body: { error: 'bad-request', message: expect.stringContaining(message), details: { field: 'keys' } } });
    }
    expect(await readRows()).toBe(stored);
  });
});
