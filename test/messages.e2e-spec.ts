import { JobHandlerRegistry } from '@xuncha/activities';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll, startInstance } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** Registers a clue (a job the test releases when it likes), then waits for the commission's feedback on it. */
const FEEDBACK_PROCESS = `${BPMN_HEADER}
  <bpmn:message id="Msg" name="msg-clue-feedback"><bpmn:extensionElements><zeebe:subscription correlationKey="=clueId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="msg-clue-feedback" name="线索反馈" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Register" name="登记"><bpmn:extensionElements><zeebe:taskDefinition type="msg.register" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="AwaitFeedback" name="等待反馈"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Register" />
    <bpmn:sequenceFlow id="F2" sourceRef="Register" targetRef="AwaitFeedback" />
    <bpmn:sequenceFlow id="F3" sourceRef="AwaitFeedback" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Started by a transferred clue: one handling instance per clue number at a time. */
const TRANSFER_PROCESS = `${BPMN_HEADER}
  <bpmn:message id="Msg" name="msg-clue-transferred" />
  <bpmn:process id="msg-clue-transfer" name="线索移交办理" isExecutable="true">
    <bpmn:startEvent id="Received" name="收到移交"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent>
    <bpmn:userTask id="Handle" name="线索处置"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="commission-case-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Received" targetRef="Handle" />
    <bpmn:sequenceFlow id="F2" sourceRef="Handle" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

interface Published {
  outcome: string;
  correlated: number;
  startedInstances: string[];
  bufferedUntil: string | null;
  messageKey: string | null;
  duplicate: boolean;
}

describe('messages as in Camunda 8: buffered with a time-to-live, at most one instance per process, never lost silently', () => {
  let database: TestDatabase;
  let api: TestApp;
  /** Register jobs wait here until the test releases them, so a message can be published before the subscription opens. */
  const held = new Map<string, () => void>();

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    api.app.get(JobHandlerRegistry).register(
      'msg.register',
      (job) => new Promise<Record<string, unknown>>((resolve) => held.set(job.processInstanceId, () => resolve({ registered: true }))),
    );
    await deployAll(api, [FEEDBACK_PROCESS, TRANSFER_PROCESS]);
  });

  afterAll(async () => {
    for (const release of held.values()) release();
    await api?.close();
    await database?.drop();
  });

  const publish = async (body: Record<string, unknown>): Promise<Published> => {
    const response = await api.post('/messages', body);
    expect(response.status).toBe(200);
    return response.body as Published;
  };
  const release = async (instanceId: string): Promise<void> => {
    await waitFor(`the register job of ${instanceId}`, async () => (held.has(instanceId) ? true : undefined));
    held.get(instanceId)!();
    held.delete(instanceId);
  };
  const instance = (id: string) => api.get(`/process-instances/${id}`).then((r) => r.body as { state: string; variables: Record<string, unknown>; activeElements: Array<{ elementId: string }> });
  const waitState = (id: string, state: string) =>
    waitFor(`instance ${id} to be ${state}`, async () => {
      const current = await instance(id);
      return current.state === state ? current : undefined;
    });
  const subscribed = (id: string) =>
    waitFor(`the subscription of ${id} in the read model`, async () => {
      const rows = await database.query('SELECT 1 FROM message_subscription WHERE instance_id = $1', [id]);
      return rows.length > 0 ? true : undefined;
    });

  it('refuses malformed publications, naming the field', async () => {
    expect(await api.post('/messages', { name: 'msg-clue-feedback', timeToLive: 'one hour' })).toMatchObject({
      status: 400,
      body: { error: 'bad-request', message: expect.stringContaining('timeToLive must be an ISO-8601 duration') },
    });
    expect(await api.post('/messages', { name: 'msg-clue-feedback', timeToLive: 'P1Y' })).toMatchObject({
      status: 400,
      body: { error: 'invalid-request', message: 'timeToLive P1Y is longer than the longest allowed, P30D', details: { field: 'timeToLive' } },
    });
    expect(await api.post('/messages', { correlationKey: 'x' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('name') } });
    expect(await api.post('/messages', { name: 'msg-clue-feedback', variables: ['x'] })).toMatchObject({ status: 400 });
    expect(await api.post('/messages', { name: 'msg-clue-feedback', variables: { text: '问'.repeat(90_000) } })).toMatchObject({
      status: 413,
      body: { details: { field: 'variables' } },
    });
    expect(await database.query('SELECT 1 FROM message')).toEqual([]);
    expect(await api.get('/messages?pageSize=500')).toMatchObject({ status: 400, body: { message: expect.stringContaining('pageSize must not be greater than 200') } });
  });

  it('says a message no one waits for and that may not wait was dropped, and one with a time-to-live buffered until when', async () => {
    expect(await publish({ name: 'msg-nobody', correlationKey: 'K-0' })).toEqual({
      outcome: 'dropped',
      correlated: 0,
      startedInstances: [],
      bufferedUntil: null,
      messageKey: null,
      duplicate: false,
    });
    const buffered = await publish({ name: 'msg-nobody', correlationKey: 'K-0', timeToLive: 'PT10M', variables: { 意见: '属实', score: 3 } });
    expect(buffered).toMatchObject({ outcome: 'buffered', correlated: 0, bufferedUntil: expect.stringMatching(/\+08:00$/), messageKey: expect.any(String) });
    const listed = (await api.get('/messages?name=msg-nobody')).body as { items: Array<Record<string, unknown>>; total: number };
    expect(listed.total).toBe(1);
    expect(listed.items[0]).toEqual({
      messageKey: buffered.messageKey,
      name: 'msg-nobody',
      correlationKey: 'K-0',
      messageId: null,
      variableNames: ['score', '意见'],
      publishedAt: expect.stringMatching(/\+08:00$/),
      bufferedUntil: buffered.bufferedUntil,
      correlatedProcesses: [],
    });
  });

  it('keeps a message published before the subscription exists, and the subscription collects it as it opens', async () => {
    const id = await startInstance(api, 'msg-clue-feedback', { variables: { clueId: 'XC-41' } });
    // The instance is still registering: nothing subscribes yet.
    await waitFor('the register job', async () => (held.has(id) ? true : undefined));
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-41', timeToLive: 'PT1H', variables: { feedback: '已立案' } })).toMatchObject({
      outcome: 'buffered',
      correlated: 0,
    });
    await release(id);
    expect(await waitState(id, 'completed')).toMatchObject({ variables: { clueId: 'XC-41', feedback: '已立案', registered: true } });
    const listed = (await api.get('/messages?name=msg-clue-feedback&correlationKey=XC-41')).body as { items: Array<{ correlatedProcesses: string[] }> };
    expect(listed.items.map((m) => m.correlatedProcesses)).toEqual([['msg-clue-feedback']]);
  });

  it('lets a buffered message expire on the real clock: a subscription opened after that does not get it', async () => {
    const id = await startInstance(api, 'msg-clue-feedback', { variables: { clueId: 'XC-42' } });
    await waitFor('the register job', async () => (held.has(id) ? true : undefined));
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-42', timeToLive: 'PT1S', variables: { feedback: '过期' } })).toMatchObject({ outcome: 'buffered' });
    await waitFor('the message to expire', async () => {
      const listed = (await api.get('/messages?name=msg-clue-feedback&correlationKey=XC-42')).body as { total: number };
      return listed.total === 0 ? true : undefined;
    });
    await release(id);
    await subscribed(id);
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-42', variables: { feedback: '已了结' } })).toMatchObject({ outcome: 'correlated', correlated: 1 });
    expect(await waitState(id, 'completed')).toMatchObject({ variables: { feedback: '已了结' } });
  });

  it('reaches at most one instance of a process: the one whose subscription is oldest', async () => {
    const first = await startInstance(api, 'msg-clue-feedback', { variables: { clueId: 'XC-43' } });
    await release(first);
    await subscribed(first);
    const second = await startInstance(api, 'msg-clue-feedback', { variables: { clueId: 'XC-43' } });
    await release(second);
    await subscribed(second);
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-43', variables: { feedback: '第一份' } })).toMatchObject({ outcome: 'correlated', correlated: 1 });
    expect(await waitState(first, 'completed')).toMatchObject({ variables: { feedback: '第一份' } });
    expect((await instance(second)).activeElements.map((e) => e.elementId)).toEqual(['AwaitFeedback']);
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-43', variables: { feedback: '第二份' } })).toMatchObject({ correlated: 1 });
    expect(await waitState(second, 'completed')).toMatchObject({ variables: { feedback: '第二份' } });
  });

  it('starts one instance per correlation key at a time; a buffered message starts the next when the first ends', async () => {
    const first = await publish({ name: 'msg-clue-transferred', correlationKey: 'XS-51', timeToLive: 'PT1H', variables: { clueId: 'XS-51', round: 1 } });
    expect(first).toMatchObject({ outcome: 'correlated', correlated: 1, startedInstances: [expect.any(String)] });
    const second = await publish({ name: 'msg-clue-transferred', correlationKey: 'XS-51', timeToLive: 'PT1H', variables: { clueId: 'XS-51', round: 2 } });
    expect(second).toMatchObject({ outcome: 'buffered', correlated: 0, startedInstances: [] });
    const other = await publish({ name: 'msg-clue-transferred', correlationKey: 'XS-52', variables: { clueId: 'XS-52' } });
    expect(other).toMatchObject({ outcome: 'correlated', startedInstances: [expect.any(String)] });
    const unkeyed = [await publish({ name: 'msg-clue-transferred', variables: {} }), await publish({ name: 'msg-clue-transferred', variables: {} })];
    expect(unkeyed.map((p) => p.startedInstances.length)).toEqual([1, 1]);

    const firstId = first.startedInstances[0]!;
    const task = await waitFor('the handling task', async () => {
      const page = (await api.get(`/tasks?processInstanceId=${firstId}`)).body as { items: Array<{ id: string }> };
      return page.items[0];
    });
    expect((await api.post(`/tasks/${task.id}/complete`, { variables: {} }, { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] })).status).toBe(200);
    await waitState(firstId, 'completed');
    const next = await waitFor('the buffered message to start the next instance for XS-51', async () => {
      const rows = await database.query<{ id: string }>(
        `SELECT id FROM process_instance WHERE definition_key = 'msg-clue-transfer' AND id <> $1 AND variables IS NULL AND state = 'active'
         AND id IN (SELECT instance_id FROM message_start_lock WHERE correlation_key = 'XS-51')`,
        [firstId],
      );
      return rows[0]?.id;
    });
    expect(await waitFor('the next instance at its task', async () => {
      const current = await instance(next);
      return current.activeElements.some((e) => e.elementId === 'Handle') ? current : undefined;
    })).toMatchObject({ variables: { clueId: 'XS-51', round: 2 } });
  });

  it('answers a repeated messageId with the first answer and no second effect, and refuses it for another message', async () => {
    const id = await startInstance(api, 'msg-clue-feedback', { variables: { clueId: 'XC-44' } });
    await release(id);
    await subscribed(id);
    const first = await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-44', messageId: 'fb-44', timeToLive: 'PT5M', variables: { feedback: '一次' } });
    expect(first).toMatchObject({ outcome: 'correlated', correlated: 1, duplicate: false });
    expect(await publish({ name: 'msg-clue-feedback', correlationKey: 'XC-44', messageId: 'fb-44', timeToLive: 'PT5M', variables: { feedback: '一次' } })).toEqual({
      ...first,
      duplicate: true,
    });
    expect(await api.post('/messages', { name: 'msg-other', correlationKey: 'XC-44', messageId: 'fb-44' })).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect((await database.query('SELECT 1 FROM message WHERE message_id = $1', ['fb-44'])).length).toBe(1);
  });
});
