import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { BpmnError, JobHandlerRegistry } from '@xuncha/activities';
import { checkDefinition } from '@xuncha/bpmn';
import { calendarFrom, withOverrides } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import type { InstanceView, ProcessWorkflowInput, ProcessWorkflowResult } from '@xuncha/contracts';
import {
  calendarChangedSignal,
  cancelInstanceUpdate,
  completeUserTaskUpdate,
  deliverMessageUpdate,
  instanceTraceQuery,
  instanceViewQuery,
  PROCESS_WORKFLOW_TYPE,
  retryIncidentUpdate,
  taskActionUpdate,
  UNIT_ID_ATTRIBUTE,
} from '@xuncha/contracts';
import { HistoryRecorder } from './support/histories';
import { BPMN_HEADER } from './support/instances';
import { ROOT } from './support/processes';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { encryptedDataConverter } from '@xuncha/runtime';

describe('process workflow on a real Temporal server', () => {
  const histories = new HistoryRecorder();
  let api: TestApp;
  let client: Client;
  let connection: Connection;
  let counter = 0;
  const registry = (): JobHandlerRegistry => api.app.get(JobHandlerRegistry);

  beforeAll(async () => {
    api = await startTestApp({ database: { kind: 'pglite', dataDir: 'memory://' }, worker: true });
    registry().register('ledger.record', () => ({ ledgerEntryId: 7 }));
    registry().register('letter.send-reminder', () => ({ reminded: true }));
    connection = await Connection.connect({ address: e2eTemporalAddress() });
    client = new Client({ connection, dataConverter: encryptedDataConverter(api.config.payload) });
  });

  afterAll(async () => {
    // RECORD_HISTORIES=1 npm run test:e2e adds the scenarios no release has recorded yet (test/replay.e2e-spec.ts replays them).
    histories.write();
    await connection?.close();
    await api?.close();
  });

  /** Remembers a finished scenario's workflow for recording. */
  const keep = (name: string, handle: WorkflowHandle, runId?: string): void => histories.keep(name, handle, runId);

  async function start(
    source: string,
    variables: Record<string, unknown> = {},
    extra: Partial<ProcessWorkflowInput> = {},
    unitId?: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId> {
    const xml = source.startsWith('<') ? source : fs.readFileSync(path.join(ROOT, 'test/conformance', source));
    const { graph, findings } = await checkDefinition(xml);
    if (!graph) throw new Error(JSON.stringify(findings));
    const input: ProcessWorkflowInput = { definition: { key: graph.processId, version: 1 }, graph, variables, businessKey: null, ...extra };
    return client.workflow.start(PROCESS_WORKFLOW_TYPE, {
      taskQueue: api.config.temporal.taskQueue,
      workflowId: `e2e-process-${Date.now()}-${counter++}`,
      args: [input],
      ...(unitId ? { typedSearchAttributes: [{ key: UNIT_ID_ATTRIBUTE, value: unitId }] } : {}),
    });
  }

  const view = (handle: WorkflowHandle): Promise<InstanceView> => handle.query(instanceViewQuery);
  const openTask = (handle: WorkflowHandle, elementId: string) =>
    waitFor(`an open user task at ${elementId}`, async () => (await view(handle)).openUserTasks.find((t) => t.elementId === elementId));

  it('runs a service task through its registered handler and completes a user task through an update', async () => {
    const handle = await start('sequence/service-then-user-task.bpmn', { clueId: 'XC-1' });
    const task = await openTask(handle, 'Review');
    expect(task).toMatchObject({ candidateGroups: ['inspection-office'] });
    await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: task.taskId, variables: { decision: '立案' }, completedBy: 'zhang.wei' }] });
    const result = (await handle.result()) as ProcessWorkflowResult;
    expect(result).toEqual({ status: 'completed', variables: { clueId: 'XC-1', ledgerEntryId: 7, decision: '立案' } });
    keep('service-and-user-task', handle);
    // Since 0.3.0 the read models are written once per activation, as a local activity (an update's change by a regular one).
    keep('batched-writes-service-and-user-task', handle);
    // Since 0.4.0 a job's activity carries the write of the activation that started it.
    keep('carried-writes-service-and-user-task', handle);
  });

  it('refuses, in the validator, to complete a task that is not open, leaving the instance as it was', async () => {
    const handle = await start('sequence/service-then-user-task.bpmn');
    const task = await openTask(handle, 'Review');
    const refusal: unknown = await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: 'element-999' }] }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refusal as WorkflowUpdateFailedError).cause?.message)).toContain('user task "element-999" is not open');
    expect((await view(handle)).openUserTasks.map((t) => t.taskId)).toEqual([task.taskId]);
    await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: task.taskId }] });
    await handle.result();
    keep('update-refused-then-accepted', handle);
    keep('batched-writes-update-refused-then-accepted', handle);
    keep('carried-writes-update-refused-then-accepted', handle);
  });

  it('turns a BPMN error thrown by a handler into the error boundary path', async () => {
    registry().register('verify.throws', () => {
      throw new BpmnError('VERIFY_FAILED', '核实失败');
    });
    const xml = fs.readFileSync(path.join(ROOT, 'test/conformance/error/boundary-catches-by-code.bpmn'), 'utf8').replace('type="ledger.record"', 'type="verify.throws"');
    const handle = await start(xml);
    const task = await openTask(handle, 'Handle');
    await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: task.taskId }] });
    expect(((await handle.result()) as ProcessWorkflowResult).status).toBe('completed');
    keep('bpmn-error-boundary', handle);
    keep('carried-writes-bpmn-error-boundary', handle);
  });

  it('raises an incident for a task type without a handler, and retrying after registering one completes it', async () => {
    const xml = fs.readFileSync(path.join(ROOT, 'test/conformance/incident/job-failure-then-retry.bpmn'), 'utf8').replace('type="ledger.record"', 'type="ledger.archive"');
    const handle = await start(xml);
    const incident = await waitFor('an incident', async () => (await view(handle)).incidents[0]);
    expect(incident).toMatchObject({ elementId: 'Register', type: 'job-failed', message: expect.stringContaining('no handler is registered for task type "ledger.archive"') });
    registry().register('ledger.archive', () => ({ archived: true }));
    await handle.executeUpdate(retryIncidentUpdate, { args: [{ incidentId: incident.id }] });
    expect(await handle.result()).toEqual({ status: 'completed', variables: { archived: true } });
    keep('incident-then-retry', handle);
    keep('carried-writes-incident-then-retry', handle);
  });

  it('correlates a message by name and key, answering how many subscriptions it reached', async () => {
    const handle = await start('message/intermediate-catch-by-correlation-key.bpmn', { clueId: 'XC-9' });
    await waitFor('the subscription', async () => ((await view(handle)).activeElements.some((e) => e.elementId === 'AwaitFeedback') ? true : undefined));
    expect(await handle.executeUpdate(deliverMessageUpdate, { args: [{ name: 'clue-feedback', correlationKey: 'XC-0' }] })).toBe(0);
    expect(await handle.executeUpdate(deliverMessageUpdate, { args: [{ name: 'clue-feedback', correlationKey: 'XC-9', variables: { feedback: '已核实' } }] })).toBe(1);
    expect(((await handle.result()) as ProcessWorkflowResult).variables).toMatchObject({ feedback: '已核实' });
    keep('message-correlation', handle);
  });

  it('sleeps a timer on the server and continues when it fires', async () => {
    const xml = fs.readFileSync(path.join(ROOT, 'test/conformance/timer/intermediate-duration.bpmn'), 'utf8').replace('>P10D<', '>PT1S<');
    const handle = await start(xml);
    expect(await handle.result()).toEqual({ status: 'completed', variables: { ledgerEntryId: 7 } });
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.timerStartedEventAttributes)).toBe(true);
    keep('timer', handle);
  });

  it('cancels through an update, closing the open task and keeping the variables it had', async () => {
    const handle = await start('sequence/service-then-user-task.bpmn');
    await openTask(handle, 'Review');
    await handle.executeUpdate(cancelInstanceUpdate);
    expect(await handle.result()).toEqual({ status: 'cancelled', variables: { ledgerEntryId: 7 } });
    const refusal: unknown = await handle.executeUpdate(cancelInstanceUpdate).catch((e: unknown) => e);
    expect(String(refusal)).toMatch(/already completed|not found|InstanceNotActive/i);
    keep('cancel', handle);
  });

  it('runs a call activity as a child workflow and takes back its variables', async () => {
    const called = fs.readFileSync(path.join(ROOT, 'test/conformance/call-activity/verify-clue.called.bpmn'));
    const deployed = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: called });
    expect([200, 201]).toContain(deployed.status);
    const handle = await start('call-activity/child-completes-with-variables.bpmn', { clueId: 'XC-3' });
    const childId = await waitFor('the child instance', async () => Object.values((await view(handle)).children)[0]);
    expect(childId).toMatch(new RegExp(`^${handle.workflowId}:element-\\d+$`));
    const child = client.workflow.getHandle(childId);
    const task = await openTask(child, 'Verify');
    await child.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: task.taskId, variables: { verdict: '属实' } }] });
    expect(await handle.result()).toEqual({ status: 'completed', variables: { clueId: 'XC-3', verdict: '属实' } });
    const description = await child.describe();
    expect(description.parentExecution?.workflowId).toBe(handle.workflowId);
    keep('call-activity-child', handle);
  });

  describe('scenarios this release records for the next ones to replay', () => {
    const calendar = calendarFrom(chineseDaysCalendar(), 2025);
    /** Two reviews; the second is due three working days after it opens. */
    const TWO_REVIEWS = `${BPMN_HEADER}
  <bpmn:process id="history-two-reviews" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="First"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="Second"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /><zeebe:taskSchedule dueDate="=add working days(today(), 3)" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="First" />
    <bpmn:sequenceFlow id="F2" sourceRef="First" targetRef="Second" />
    <bpmn:sequenceFlow id="F3" sourceRef="Second" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
    const OFFICER = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
    const COLLEAGUE = { sub: 'li.na', name: '李娜', groups: ['inspection-office'] };

    it('a task handed over: claimed, delegated, resolved and completed', async () => {
      const handle = await start(TWO_REVIEWS, {}, { calendar });
      const first = await openTask(handle, 'First');
      await handle.executeUpdate(taskActionUpdate, { args: [{ taskId: first.taskId, action: 'claim', caller: OFFICER }] });
      await handle.executeUpdate(taskActionUpdate, { args: [{ taskId: first.taskId, action: 'delegate', user: COLLEAGUE.sub, caller: OFFICER }] });
      expect(await handle.executeUpdate(taskActionUpdate, { args: [{ taskId: first.taskId, action: 'resolve', caller: COLLEAGUE }] })).toMatchObject({
        assignee: OFFICER.sub,
        delegation: 'resolved',
      });
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: first.taskId, caller: OFFICER }] });
      const second = await openTask(handle, 'Second');
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: second.taskId, caller: OFFICER }] });
      expect(((await handle.result()) as ProcessWorkflowResult).status).toBe('completed');
      keep('task-hand-over', handle);
    });

    it('a calendar change reaching a running instance, which counts working days on it afterwards', async () => {
      const handle = await start(TWO_REVIEWS, {}, { calendar });
      const first = await openTask(handle, 'First');
      // Every day of the coming fortnight becomes a holiday: the second task's due date moves past them.
      const today = new Date();
      const holidays = Array.from({ length: 14 }, (_, i) => ({ date: new Date(today.getTime() + i * 86_400_000).toISOString().slice(0, 10), kind: 'holiday' as const, note: '测试放假' }));
      await handle.signal(calendarChangedSignal, { calendar: withOverrides(calendar, holidays, []) });
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: first.taskId }] });
      const second = await openTask(handle, 'Second');
      expect(Date.parse(second.dueDate!) - today.getTime()).toBeGreaterThan(14 * 86_400_000);
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: second.taskId }] });
      await handle.result();
      keep('calendar-change', handle);
    });

    it('an instance that continues as new in the middle, keeping its open task', async () => {
      const handle = await start(TWO_REVIEWS, {}, { calendar });
      const first = await openTask(handle, 'First');
      // The test server suggests continue-as-new after 120 events; every signal is a few.
      for (let i = 0; i < 45 && (await view(handle)).run === 1; i++) await handle.signal(calendarChangedSignal, { calendar });
      const continued = await waitFor('a second run', async () => ((await view(handle)).run > 1 ? true : undefined));
      expect(continued).toBe(true);
      expect((await view(handle)).openUserTasks.map((task) => task.taskId)).toEqual([first.taskId]);
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: first.taskId }] });
      const second = await openTask(handle, 'Second');
      await handle.executeUpdate(completeUserTaskUpdate, { args: [{ taskId: second.taskId }] });
      expect(((await client.workflow.getHandle(handle.workflowId).result()) as ProcessWorkflowResult).status).toBe('completed');
      keep('continue-as-new-first-run', handle, handle.firstExecutionRunId);
      keep('continue-as-new-last-run', client.workflow.getHandle(handle.workflowId));
      keep('batched-writes-continue-as-new-first-run', handle, handle.firstExecutionRunId);
      // Since 0.4.0 the write numbers go on across runs.
      keep('carried-writes-continue-as-new-first-run', handle, handle.firstExecutionRunId);
      keep('carried-writes-continue-as-new-last-run', client.workflow.getHandle(handle.workflowId));
    });

    /** A parent calling a verification process whose job may throw; the parent's boundary catches VERIFY_FAILED only. */
    const callingXml = (processId: string, childId: string) => `${BPMN_HEADER}
  <bpmn:error id="Err" name="核实失败" errorCode="VERIFY_FAILED" />
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:callActivity id="CallVerify"><bpmn:extensionElements><zeebe:calledElement processId="${childId}" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:boundaryEvent id="VerifyFailed" attachedToRef="CallVerify"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="End" />
    <bpmn:endEvent id="Failed" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="CallVerify" />
    <bpmn:sequenceFlow id="F2" sourceRef="CallVerify" targetRef="End" />
    <bpmn:sequenceFlow id="F3" sourceRef="VerifyFailed" targetRef="Failed" />
  </bpmn:process>
</bpmn:definitions>`;
    const childXml = (childId: string, taskType: string) => `${BPMN_HEADER}
  <bpmn:process id="${childId}" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Verify"><bpmn:extensionElements><zeebe:taskDefinition type="${taskType}" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Verify" />
    <bpmn:sequenceFlow id="F2" sourceRef="Verify" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
    const deploy = async (xml: string): Promise<void> => {
      const response = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: xml });
      expect([200, 201]).toContain(response.status);
    };

    it("an error the child does not catch, thrown to the parent's call activity and caught by its boundary", async () => {
      registry().register('history.verify-throws', () => {
        throw new BpmnError('VERIFY_FAILED', '核实失败');
      });
      await deploy(childXml('history-verify-throws', 'history.verify-throws'));
      const handle = await start(callingXml('history-caller', 'history-verify-throws'));
      expect(((await handle.result()) as ProcessWorkflowResult).status).toBe('completed');
      const trace = await handle.query(instanceTraceQuery);
      expect(trace.entries.map((e) => `${e.kind} ${e.elementId}`)).toEqual(expect.arrayContaining(['terminated CallVerify', 'completed Failed']));
      const child = client.workflow.getHandle(trace.children[0]!.workflowId);
      expect(await child.result()).toMatchObject({ status: 'cancelled', error: { code: 'VERIFY_FAILED' } });
      keep('child-error-caught-by-parent', handle);
      keep('child-error-thrown-to-parent', child);
    });

    it('a child of an instance that concerns a unit, started concerning the same unit', async () => {
      registry().register('history.verify-unit', () => ({ verified: true }));
      await deploy(childXml('history-verify-unit', 'history.verify-unit'));
      const handle = await start(callingXml('history-caller-unit', 'history-verify-unit'), {}, {}, 'district-education-bureau');
      expect(await handle.result()).toMatchObject({ status: 'completed', variables: { verified: true } });
      const child = client.workflow.getHandle((await handle.query(instanceTraceQuery)).children[0]!.workflowId);
      expect((await child.describe()).typedSearchAttributes.get(UNIT_ID_ATTRIBUTE)).toBe('district-education-bureau');
      keep('child-inherits-unit', handle);
      keep('child-inherits-unit-child', child);
    });

    it('an error nobody catches: an incident in the child, reported to the parent, retried in the child', async () => {
      let failing = true;
      registry().register('history.verify-once', () => {
        if (failing) throw new BpmnError('OTHER_FAILURE', '其他错误');
        return { verified: true };
      });
      await deploy(childXml('history-verify-once', 'history.verify-once'));
      const handle = await start(callingXml('history-caller-incident', 'history-verify-once'));
      await waitFor('the parent to show its child incident', async () => ((await view(handle)).childIncidents?.length ? true : undefined));
      const [reported] = (await view(handle)).childIncidents!;
      failing = false;
      const child = client.workflow.getHandle(reported!.instanceId);
      await child.executeUpdate(retryIncidentUpdate, { args: [{ incidentId: reported!.incidentId }] });
      expect(await handle.result()).toMatchObject({ status: 'completed', variables: { verified: true } });
      keep('child-incident-reported-to-parent', handle);
      keep('child-incident-in-child', child);
    });

    it('a message published before its subscription, buffered, and collected as the subscription opens', async () => {
      let register: (() => void) | undefined;
      registry().register('history.register', () => new Promise<Record<string, unknown>>((resolve) => (register = () => resolve({ registered: true }))));
      const xml = `${BPMN_HEADER}
  <bpmn:message id="Msg" name="history-feedback"><bpmn:extensionElements><zeebe:subscription correlationKey="=clueId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="history-buffered" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Register"><bpmn:extensionElements><zeebe:taskDefinition type="history.register" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="AwaitFeedback"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Register" />
    <bpmn:sequenceFlow id="F2" sourceRef="Register" targetRef="AwaitFeedback" />
    <bpmn:sequenceFlow id="F3" sourceRef="AwaitFeedback" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
      const handle = await start(xml, { clueId: 'H-1' });
      await waitFor('the register job', async () => (register ? true : undefined));
      expect(await api.post('/messages', { name: 'history-feedback', correlationKey: 'H-1', timeToLive: 'PT1H', variables: { feedback: '已立案' } })).toMatchObject({
        status: 200,
        body: { outcome: 'buffered' },
      });
      register!();
      expect(await handle.result()).toEqual({ status: 'completed', variables: { clueId: 'H-1', registered: true, feedback: '已立案' } });
      keep('buffered-message', handle);
    });
  });
});
