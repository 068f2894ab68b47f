import type { Client } from '@temporalio/client';
import { BpmnError, JobHandlerRegistry } from '@xuncha/activities';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import { InstanceLauncher, TEMPORAL_CLIENT } from '@xuncha/runtime';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** A clue review: a service task records the clue, then an officer reviews it. */
function reviewProcess(taskName = '研究处置意见'): string {
  return `${BPMN_HEADER}
  <bpmn:process id="api-clue-review" name="问题线索研判" isExecutable="true">
    <bpmn:startEvent id="Start" name="收到线索" />
    <bpmn:serviceTask id="Record" name="登记台账"><bpmn:extensionElements><zeebe:taskDefinition type="api.ledger" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="Review" name="${taskName}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" name="研判完毕" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Record" />
    <bpmn:sequenceFlow id="F2" sourceRef="Record" targetRef="Review" />
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** Waits for the commission's feedback on a clue, correlated by clue number. */
const FEEDBACK_PROCESS = `${BPMN_HEADER}
  <bpmn:message id="Msg" name="clue-feedback"><bpmn:extensionElements><zeebe:subscription correlationKey="=clueId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="api-clue-feedback" name="线索办理反馈" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="AwaitFeedback" name="等待纪委反馈"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="AwaitFeedback" />
    <bpmn:sequenceFlow id="F2" sourceRef="AwaitFeedback" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Started by a message: a transferred clue opens its own handling instance. */
const TRANSFER_PROCESS = `${BPMN_HEADER}
  <bpmn:message id="Msg" name="clue-transferred" />
  <bpmn:process id="api-clue-transfer" name="线索移交办理" isExecutable="true">
    <bpmn:startEvent id="Received" name="收到移交"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent>
    <bpmn:userTask id="Handle" name="线索处置"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="commission" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Received" targetRef="Handle" />
    <bpmn:sequenceFlow id="F2" sourceRef="Handle" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** Routes a clue by a threshold the operator may have forgotten to give. */
const THRESHOLD_PROCESS = `${BPMN_HEADER}
  <bpmn:process id="api-clue-threshold" name="线索分流" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:exclusiveGateway id="Route" name="按金额分流" default="ToLow" />
    <bpmn:endEvent id="High" name="重点线索" />
    <bpmn:endEvent id="Low" name="一般线索" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Route" />
    <bpmn:sequenceFlow id="ToHigh" sourceRef="Route" targetRef="High"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; threshold</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="ToLow" sourceRef="Route" targetRef="Low" />
  </bpmn:process>
</bpmn:definitions>`;

/** A check that calls a verification sub-process, with no boundary to catch its error. */
const CHECK_PROCESS = `${BPMN_HEADER}
  <bpmn:process id="api-clue-check" name="线索核查" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:callActivity id="CallVerify" name="调用核实子流程"><bpmn:extensionElements><zeebe:calledElement processId="api-clue-verify" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="CallVerify" />
    <bpmn:sequenceFlow id="F2" sourceRef="CallVerify" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** The verification sub-process: its job may throw a BPMN error nobody catches. */
const VERIFY_PROCESS = `${BPMN_HEADER}
  <bpmn:process id="api-clue-verify" name="线索核实" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Verify" name="核实"><bpmn:extensionElements><zeebe:taskDefinition type="api.verify" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Verify" />
    <bpmn:sequenceFlow id="F2" sourceRef="Verify" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

interface Detail {
  id: string;
  state: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  activeElements: Array<{ elementId: string; name: string | null; since: string; wait: string | null }>;
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; elementName: string | null; type: string; message: string }>;
  childIncidents: Array<{ instanceId: string; processId: string; elementId: string; incidentId: string; message: string }>;
}

/** A task assigned to whoever a variable names: a name too long for the task table is data the read models refuse. */
const LONG_ASSIGNEE_PROCESS = `${BPMN_HEADER}
  <bpmn:process id="api-long-assignee" name="指派核查" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Check" name="核查"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=who" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

/** The same long assignee while a job runs beside the task: the job carries the write the read models refuse. */
const LONG_ASSIGNEE_BESIDE_JOB_PROCESS = `${BPMN_HEADER}
  <bpmn:process id="api-long-assignee-job" name="指派核查并登记" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:parallelGateway id="Split" />
    <bpmn:serviceTask id="Record" name="登记台账"><bpmn:extensionElements><zeebe:taskDefinition type="api.ledger" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:userTask id="Check" name="核查"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=who" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:serviceTask id="Archive" name="归档"><bpmn:extensionElements><zeebe:taskDefinition type="api.ledger" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="RecordEnd" />
    <bpmn:endEvent id="CheckEnd" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Split" />
    <bpmn:sequenceFlow id="F2" sourceRef="Split" targetRef="Record" />
    <bpmn:sequenceFlow id="F3" sourceRef="Split" targetRef="Check" />
    <bpmn:sequenceFlow id="F4" sourceRef="Record" targetRef="Archive" />
    <bpmn:sequenceFlow id="F6" sourceRef="Archive" targetRef="RecordEnd" />
    <bpmn:sequenceFlow id="F5" sourceRef="Check" targetRef="CheckEnd" />
  </bpmn:process>
</bpmn:definitions>`;

/** What the instance's Temporal history scheduled: activity types in order, and local-activity markers. */
async function scheduled(api: TestApp, id: string): Promise<{ activities: string[]; localActivities: number }> {
  const history = await api.app.get<Client>(TEMPORAL_CLIENT).workflow.getHandle(id).fetchHistory();
  const events = history.events ?? [];
  return {
    activities: events.flatMap((event) => (event.activityTaskScheduledEventAttributes?.activityType?.name ? [event.activityTaskScheduledEventAttributes.activityType.name] : [])),
    localActivities: events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  };
}

describe('process instance and message API', () => {
  let database: TestDatabase;
  let api: TestApp;
  let ledgerDown = false;
  let verifyThrows = true;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    api.app.get(JobHandlerRegistry).register('api.ledger', () => {
      if (ledgerDown) throw new Error('台账系统不可用');
      return { ledgerNo: 'TZ-001' };
    });
    api.app.get(JobHandlerRegistry).register('api.verify', () => {
      if (verifyThrows) throw new BpmnError('VERIFY_FAILED', '核实对象不存在');
      return { verified: true };
    });
    await deployAll(api, [reviewProcess(), FEEDBACK_PROCESS, TRANSFER_PROCESS, THRESHOLD_PROCESS, CHECK_PROCESS, VERIFY_PROCESS, LONG_ASSIGNEE_PROCESS, LONG_ASSIGNEE_BESIDE_JOB_PROCESS]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const detail = async (id: string): Promise<Detail> => {
    const { status, body } = await api.get(`/process-instances/${id}`);
    expect(status).toBe(200);
    return body as Detail;
  };
  const waitState = (id: string, state: string): Promise<Detail> =>
    waitFor(`instance ${id} to be ${state}`, async () => {
      const current = await detail(id);
      return current.state === state ? current : undefined;
    });

  it('refuses bad starts with the reason and the field, storing nothing', async () => {
    const unknown = await api.post('/process-instances', { definitionKey: 'no-such-process' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not-found', message: 'process definition "no-such-process" was not found' } });
    const badVersion = await api.post('/process-instances', { definitionKey: 'api-clue-review', version: 99 });
    expect(badVersion).toMatchObject({ status: 404, body: { message: 'process definition "api-clue-review v99" was not found' } });
    const array = await api.post('/process-instances', { definitionKey: 'api-clue-review', variables: [1, 2] });
    expect(array.status).toBe(400);
    expect((array.body as { message: string }).message).toContain('variables must be an object');
    const missing = await api.post('/process-instances', { variables: {} });
    expect(missing.status).toBe(400);
    expect((missing.body as { message: string }).message).toContain('definitionKey');
    const large = await api.post('/process-instances', { definitionKey: 'api-clue-review', variables: { text: '问'.repeat(90_000) } });
    expect(large).toMatchObject({ status: 413, body: { error: 'payload-too-large', details: { field: 'variables', limit: 262_144 } } });
    const byMessage = await api.post('/process-instances', { definitionKey: 'api-clue-transfer' });
    expect(byMessage).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const rows = await database.query('SELECT count(*)::int AS n FROM process_instance');
    expect(rows[0]?.n).toBe(0);
  });

  it('starts an instance, shows where it stands, lists it by filters and cancels it', async () => {
    const started = await api.post('/process-instances', { definitionKey: 'api-clue-review', businessKey: '2026-第一轮-市教育局', variables: { clueId: 'XS-1' } });
    expect(started).toMatchObject({ status: 201, body: { definitionKey: 'api-clue-review', definitionVersion: 1 } });
    const { id } = started.body as { id: string };
    const waiting = await waitFor('the review task', async () => {
      const current = await detail(id);
      return current.activeElements.some((e) => e.elementId === 'Review') ? current : undefined;
    });
    expect(waiting).toMatchObject({ state: 'active', businessKey: '2026-第一轮-市教育局', variables: { clueId: 'XS-1', ledgerNo: 'TZ-001' } });
    expect(waiting.activeElements.find((e) => e.elementId === 'Review')).toMatchObject({ name: '研究处置意见', wait: 'user-task', since: expect.stringMatching(/\+08:00$/) });

    const listed = await api.get(`/process-instances?definitionKey=api-clue-review&businessKey=${encodeURIComponent('2026-第一轮-市教育局')}&state=active`);
    expect(listed.status).toBe(200);
    expect((listed.body as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([id]);
    expect((await api.get('/process-instances?state=finished')).status).toBe(400);

    const cancelled = await api.post(`/process-instances/${id}/cancel`, {});
    expect(cancelled).toMatchObject({ status: 200, body: { state: 'cancelled' } });
    await waitFor('the read model to show it cancelled', async () => {
      const rows = await database.query<{ state: string }>('SELECT state FROM process_instance WHERE id = $1', [id]);
      return rows[0]?.state === 'cancelled' ? true : undefined;
    });
    expect(await api.post(`/process-instances/${id}/cancel`, {})).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(await detail(id)).toMatchObject({ state: 'cancelled', activeElements: [], variables: { clueId: 'XS-1', ledgerNo: 'TZ-001' } });
    expect((await api.get('/process-instances/no-such-instance')).status).toBe(404);
  });

  it('pins an instance to the version it started with', async () => {
    const first = (await api.post('/process-instances', { definitionKey: 'api-clue-review' })).body as { id: string };
    const redeployed = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: reviewProcess('集体研究处置意见') });
    expect(redeployed.status).toBe(201);
    const second = (await api.post('/process-instances', { definitionKey: 'api-clue-review' })).body as { id: string };
    const pinned = (await api.post('/process-instances', { definitionKey: 'api-clue-review', version: 1 })).body as { id: string };
    const nameAt = async (id: string): Promise<[number, string | null | undefined]> => {
      const current = await waitFor('the review task', async () => {
        const d = await detail(id);
        return d.activeElements.some((e) => e.elementId === 'Review') ? d : undefined;
      });
      return [current.definitionVersion, current.activeElements.find((e) => e.elementId === 'Review')?.name];
    };
    expect(await nameAt(first.id)).toEqual([1, '研究处置意见']);
    expect(await nameAt(second.id)).toEqual([2, '集体研究处置意见']);
    expect(await nameAt(pinned.id)).toEqual([1, '研究处置意见']);
  });

  it('shows a failed job as an incident and resumes it on retry', async () => {
    ledgerDown = true;
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-clue-review' })).body as { id: string };
    const failed = await waitState(id, 'incident');
    expect(failed.incidents).toEqual([
      expect.objectContaining({ elementId: 'Record', elementName: '登记台账', type: 'job-failed', message: expect.stringContaining('台账系统不可用') }),
    ]);
    await waitFor('the list to show the incident', async () =>
      ((await api.get('/process-instances?state=incident')).body as { items: Array<{ id: string }> }).items.some((i) => i.id === id) ? true : undefined,
    );
    expect(await api.post(`/process-instances/${id}/incidents/incident-999/retry`, {})).toMatchObject({ status: 404, body: { message: 'open incident "incident-999" was not found' } });
    ledgerDown = false;
    const retried = await api.post(`/process-instances/${id}/incidents/${failed.incidents[0]!.id}/retry`, {});
    expect(retried.status).toBe(200);
    const resumed = await waitFor('the review task after the retry', async () => {
      const d = await detail(id);
      return d.activeElements.some((e) => e.elementId === 'Review') ? d : undefined;
    });
    expect(resumed).toMatchObject({ state: 'active', incidents: [], variables: { ledgerNo: 'TZ-001' } });
  });

  it('lets the job carry the write of the step that started it: no write of its own, the read models exact all the same', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-clue-review' })).body as { id: string };
    await waitFor('the review task in the read model', async () => {
      const rows = await database.query<{ element_id: string }>(`SELECT element_id FROM user_task WHERE instance_id = $1`, [id]);
      return rows.some((row) => row.element_id === 'Review') ? true : undefined;
    });
    // The start's write went with the ledger job; only the step that opened the review wrote by itself.
    expect(await scheduled(api, id)).toEqual({ activities: ['runJobAndRecord'], localActivities: 1 });
    const history = await database.query<{ seq: number; kind: string; element_id: string }>(
      `SELECT seq, kind, element_id FROM instance_history WHERE instance_id = $1 ORDER BY seq`,
      [id],
    );
    expect(history.map((entry) => entry.seq)).toEqual(history.map((_, index) => index));
    expect(history.map((entry) => `${entry.kind} ${entry.element_id}`)).toEqual(expect.arrayContaining(['entered Record', 'completed Record', 'entered Review']));
    expect(await database.query(`SELECT state, write_seq FROM process_instance WHERE id = $1`, [id])).toEqual([{ state: 'active', write_seq: '2' }]);
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
  });

  it('numbers its writes above those the read models hold for a reused instance id, and writes again what they skipped', async () => {
    const id = `reused-${Date.now()}`;
    await database.query(
      `INSERT INTO process_instance (id, definition_key, definition_version, state, incidents, started_at, ended_at, write_seq, updated_at)
       VALUES ($1, 'api-clue-review', 1, 'completed', 0, now(), now(), 100, now())`,
      [id],
    );
    const version = await api.app.get(ProcessDefinitionRepository).latest('api-clue-review');
    await api.app.get(InstanceLauncher).launch({ id, definition: version!, variables: {}, businessKey: null });
    await waitFor('the review task in the read model', async () => {
      const rows = await database.query<{ element_id: string }>(`SELECT element_id FROM user_task WHERE instance_id = $1`, [id]);
      return rows.some((row) => row.element_id === 'Review') ? true : undefined;
    });
    const [row] = await database.query<{ state: string; write_seq: string }>(`SELECT state, write_seq FROM process_instance WHERE id = $1`, [id]);
    expect(row!.state).toBe('active');
    expect(Number(row!.write_seq)).toBeGreaterThan(100);
    // Nothing the first writes held is missing: the history from the start on.
    const history = await database.query<{ seq: number; kind: string; element_id: string }>(`SELECT seq, kind, element_id FROM instance_history WHERE instance_id = $1 ORDER BY seq`, [id]);
    expect(history.map((entry) => entry.seq)).toEqual(history.map((_, index) => index));
    expect(history.map((entry) => `${entry.kind} ${entry.element_id}`)).toEqual(expect.arrayContaining(['entered Record', 'completed Record', 'entered Review']));
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
  });

  it('runs a job whose carried write the read models refuse, then writes the change itself and shows the incident', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-long-assignee-job', variables: { who: '长'.repeat(300) } })).body as { id: string };
    const refused = await waitState(id, 'incident');
    expect(refused.incidents).toEqual([
      expect.objectContaining({ type: 'read-model-write', message: expect.stringMatching(/the read models refused a change of this instance \(1 task\(s\).*SQLSTATE 22001/) }),
    ]);
    // The job ran once and its result counts, though the write it carried was refused; the next
    // write went by the instance's own activity (which raised the incident), not with the next job.
    expect(refused.variables).toMatchObject({ ledgerNo: 'TZ-001' });
    await waitFor('the second job to end', async () => ((await detail(id)).activeElements.some((element) => element.elementId === 'Archive') ? undefined : true));
    expect((await detail(id)).activeElements.map((element) => element.elementId)).toEqual(['Check']);
    expect(await scheduled(api, id)).toMatchObject({ activities: ['runJobAndRecord', 'runJob'] });
    await waitFor('the list to show the incident', async () =>
      ((await api.get('/process-instances?state=incident')).body as { items: Array<{ id: string }> }).items.some((i) => i.id === id) ? true : undefined,
    );
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
  });

  it('shows a change the read models refuse as an incident naming the write, instead of retrying it for ever', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-long-assignee', variables: { who: '长'.repeat(300) } })).body as { id: string };
    const refused = await waitState(id, 'incident');
    expect(refused.incidents).toEqual([
      expect.objectContaining({ type: 'read-model-write', message: expect.stringMatching(/the read models refused a change of this instance \(1 task\(s\).*SQLSTATE 22001/) }),
    ]);
    // The instance row alone still says so, so the list finds it among instances with incidents.
    await waitFor('the list to show the incident', async () =>
      ((await api.get('/process-instances?state=incident')).body as { items: Array<{ id: string }> }).items.some((i) => i.id === id) ? true : undefined,
    );
    // A retry writes the change again; refused again, it is a new incident, not a loop.
    expect((await api.post(`/process-instances/${id}/incidents/${refused.incidents[0]!.id}/retry`, {})).status).toBe(200);
    const again = await waitFor('the retried write to be refused again', async () => {
      const d = await detail(id);
      return d.incidents.length === 1 && d.incidents[0]!.id !== refused.incidents[0]!.id ? d : undefined;
    });
    expect(again.incidents[0]).toMatchObject({ type: 'read-model-write' });
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
  });

  it('sets variables to fix the cause of an incident, then the retry resumes at the gateway; refusals name the reason', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-clue-threshold', variables: { amount: 80 } })).body as { id: string };
    const stuck = await waitState(id, 'incident');
    expect(stuck.incidents).toEqual([expect.objectContaining({ elementId: 'Route', elementName: '按金额分流', type: 'expression', message: expect.stringContaining('threshold') })]);
    expect(await api.post(`/process-instances/${id}/variables`, { variables: [60] })).toMatchObject({ status: 400, body: { message: expect.stringContaining('variables must be an object') } });
    expect(await api.post(`/process-instances/${id}/variables`, {})).toMatchObject({ status: 400, body: { message: expect.stringContaining('variables') } });
    expect(await api.post('/process-instances/no-such-instance/variables', { variables: { threshold: 60 } })).toMatchObject({ status: 404 });
    expect(await api.post(`/process-instances/${id}/variables`, { variables: { threshold: 60 }, elementInstanceId: 'element-999' })).toMatchObject({
      status: 404,
      body: { error: 'not-found', message: 'active element instance "element-999" was not found' },
    });
    expect(await api.post(`/process-instances/${id}/variables`, { variables: { note: '问'.repeat(90_000) } })).toMatchObject({ status: 413, body: { details: { field: 'variables' } } });
    const set = await api.post(`/process-instances/${id}/variables`, { variables: { threshold: 60 } });
    expect(set).toMatchObject({ status: 200, body: { state: 'incident', variables: { amount: 80, threshold: 60 } } });
    expect((await api.post(`/process-instances/${id}/incidents/${stuck.incidents[0]!.id}/retry`, {})).status).toBe(200);
    await waitState(id, 'completed');
    // The workflow answers "completed" a moment before its last change reaches the read models.
    await waitFor('the read model to show it completed', async () => {
      const rows = await database.query<{ state: string }>('SELECT state FROM process_instance WHERE id = $1', [id]);
      return rows[0]?.state === 'completed' ? true : undefined;
    });
    const history = (await api.get(`/process-instances/${id}/history`)).body as { entries: Array<{ kind: string; elementId: string; by: string | null; detail: string | null }> };
    expect(history.entries.map((e) => `${e.kind} ${e.elementId}`)).toEqual(expect.arrayContaining(['variables-set api-clue-threshold', 'completed Route', 'completed High']));
    expect(history.entries.find((e) => e.kind === 'variables-set')).toMatchObject({ by: 'e2e-admin', detail: 'threshold' });
    expect(await api.post(`/process-instances/${id}/variables`, { variables: { threshold: 1 } })).toMatchObject({ status: 409, body: { error: 'conflict' } });
  });

  it('shows the incident of an error nobody catches in the child, where it is, and in the parent as its child\'s; retried in the child, both go on', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-clue-check' })).body as { id: string };
    const parent = await waitState(id, 'incident');
    expect(parent.incidents).toEqual([]);
    expect(parent.childIncidents).toEqual([
      expect.objectContaining({ processId: 'api-clue-verify', elementId: 'Verify', message: expect.stringContaining('"VERIFY_FAILED" is not caught') }),
    ]);
    const childId = parent.childIncidents[0]!.instanceId;
    expect(childId).toMatch(new RegExp(`^${id}:`));
    const child = await waitState(childId, 'incident');
    expect(child.incidents).toEqual([expect.objectContaining({ elementId: 'Verify', elementName: '核实', type: 'unhandled-error' })]);
    await waitFor('the list to show the parent as waiting on an incident', async () =>
      ((await api.get('/process-instances?state=incident&definitionKey=api-clue-check')).body as { items: Array<{ id: string }> }).items.some((i) => i.id === id) ? true : undefined,
    );
    verifyThrows = false;
    expect((await api.post(`/process-instances/${childId}/incidents/${child.incidents[0]!.id}/retry`, {})).status).toBe(200);
    expect(await waitState(id, 'completed')).toMatchObject({ variables: { verified: true }, childIncidents: [] });
  });

  it('delivers a message to the waiting instance once per messageId, and a message start event starts an instance', async () => {
    const { id } = (await api.post('/process-instances', { definitionKey: 'api-clue-feedback', variables: { clueId: 'XS-9' } })).body as { id: string };
    await waitFor('the subscription in the read model', async () => {
      const rows = await database.query('SELECT 1 FROM message_subscription WHERE instance_id = $1', [id]);
      return rows.length > 0 ? true : undefined;
    });
    expect(await api.post('/messages', { name: 'clue-feedback', correlationKey: 'XS-0' })).toMatchObject({ status: 200, body: { correlated: 0 } });
    expect(await api.post('/messages', { name: 'clue-feedback', correlationKey: 'XS-9', messageId: 'fb-1', variables: { feedback: '已立案' } })).toMatchObject({
      status: 200,
      body: { correlated: 1, duplicate: false },
    });
    expect(await api.post('/messages', { name: 'clue-feedback', correlationKey: 'XS-9', messageId: 'fb-1', variables: { feedback: '已立案' } })).toMatchObject({
      status: 200,
      body: { correlated: 1, duplicate: true },
    });
    expect(await waitState(id, 'completed')).toMatchObject({ variables: { clueId: 'XS-9', feedback: '已立案' } });
    const subscriptions = await database.query('SELECT 1 FROM message_subscription WHERE instance_id = $1', [id]);
    expect(subscriptions).toHaveLength(0);
    expect((await api.post('/messages', { name: 'clue-feedback', correlationKey: 'XS-9', messageId: 'fb-1', variables: {} })).status).toBe(200);
    expect(await api.post('/messages', { name: 'other', correlationKey: 'XS-9', messageId: 'fb-1' })).toMatchObject({ status: 409 });

    const transfer = await api.post('/messages', { name: 'clue-transferred', correlationKey: 'XS-10', messageId: 'tr-1', variables: { clueId: 'XS-10' } });
    expect(transfer).toMatchObject({ status: 200, body: { correlated: 1, startedInstances: [expect.any(String)] } });
    const again = await api.post('/messages', { name: 'clue-transferred', correlationKey: 'XS-10', messageId: 'tr-1', variables: { clueId: 'XS-10' } });
    expect(again.body).toEqual({ ...(transfer.body as object), duplicate: true });
    const startedId = (transfer.body as { startedInstances: string[] }).startedInstances[0]!;
    const started = await waitFor('the started instance at its task', async () => {
      const d = await detail(startedId);
      return d.activeElements.some((e) => e.elementId === 'Handle') ? d : undefined;
    });
    expect(started).toMatchObject({ definitionKey: 'api-clue-transfer', variables: { clueId: 'XS-10' } });
    const all = (await api.get('/process-instances?definitionKey=api-clue-transfer')).body as { total: number };
    expect(all.total).toBe(1);
    expect((await api.post('/messages', { name: 'clue-feedback', variables: 'text' })).status).toBe(400);
  });
});
