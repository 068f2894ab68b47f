import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER } from './support/instances';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { encryptedDataConverter } from '@xuncha/runtime';

/** A review opened every two seconds by a timer start, or on demand by its none start event. */
function reviewProcess(timer: string | null, name = '定期巡察复核'): string {
  const timerStart = timer
    ? `<bpmn:startEvent id="Every" name="定时启动"><bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="Every" targetRef="Review" />`
    : '';
  return `${BPMN_HEADER}
  <bpmn:process id="ts-review" name="${name}" isExecutable="true">
    <bpmn:startEvent id="Manual" name="手动启动" />
    ${timerStart}
    <bpmn:userTask id="Review" name="复核"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Manual" targetRef="Review" />
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** A reminder process that only a timer starts. */
function timerOnlyProcess(timer: string): string {
  return `${BPMN_HEADER}
  <bpmn:process id="ts-reminder" name="月度提醒" isExecutable="true">
    <bpmn:startEvent id="Monthly" name="每月"><bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:userTask id="Remind" name="发提醒函"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Monthly" targetRef="Remind" />
    <bpmn:sequenceFlow id="F2" sourceRef="Remind" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

interface Schedules {
  key: string;
  version: number;
  schedules: Array<{ startEventId: string; name: string | null; timer: { kind: string; value: string }; scheduleId: string; nextFirings: string[]; fired: number; lastFiredAt: string | null }>;
}

describe('timer start events on Temporal Schedules', () => {
  let database: TestDatabase;
  let api: TestApp;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    connection = await Connection.connect({ address: e2eTemporalAddress() });
    client = new Client({ connection, dataConverter: encryptedDataConverter(api.config.payload) });
  });

  afterAll(async () => {
    // Schedules outlive the test's database: remove those it made.
    for (const id of [scheduleOf('ts-review:v1:Every'), scheduleOf('ts-review:v2:Every'), scheduleOf('ts-reminder:v1:Monthly'), scheduleOf('ts-once:v1:Once')]) {
      await client.schedule.getHandle(id).delete().catch(() => undefined);
    }
    await connection?.close();
    await api?.close();
    await database?.drop();
  });

  /** A schedule's id in this app's task queue. */
  const scheduleOf = (rest: string) => `timer-start:${api.config.temporal.taskQueue}:${rest}`;
  const deploy = async (xml: string) => {
    const response = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: xml });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const instancesOf = async (key: string) =>
    ((await api.get(`/process-instances?definitionKey=${key}&pageSize=200`)).body as { items: Array<{ id: string; definitionVersion: number }> }).items;

  it('starts an instance at the timer start event each time a short cycle fires, as often as it says, next to a none start event', async () => {
    expect((await deploy(reviewProcess('<bpmn:timeCycle>R2/PT5S</bpmn:timeCycle>'))).status).toBe(201);
    const definition = (await api.get('/definitions/ts-review')).body as Schedules;
    expect(definition).toMatchObject({ key: 'ts-review', version: 1 });
    expect(definition.schedules).toHaveLength(1);
    const [schedule] = definition.schedules;
    expect(schedule).toMatchObject({ startEventId: 'Every', name: '定时启动', timer: { kind: 'cycle', value: 'R2/PT5S' }, scheduleId: scheduleOf('ts-review:v1:Every') });
    const next = schedule!.nextFirings.map((at) => Date.parse(at));
    expect(next).toHaveLength(2);
    expect(next[1]! - next[0]!).toBe(5000);
    expect(schedule!.nextFirings[0]).toMatch(/\+08:00$/);

    const started = await waitFor('two instances started by the timer', async () => {
      const items = await instancesOf('ts-review');
      return items.length >= 2 ? items : undefined;
    }, { timeoutMs: 60_000 });
    const history = await waitFor('the history of the oldest instance to reach its task', async () => {
      const body = (await api.get(`/process-instances/${started[started.length - 1]!.id}/history`)).body as { entries: Array<{ kind: string; elementId: string }> };
      const lines = body.entries.map((e) => `${e.kind} ${e.elementId}`);
      return lines.includes('entered Review') ? lines : undefined;
    });
    expect(history).toEqual(expect.arrayContaining(['entered Every', 'completed Every', 'entered Review']));
    expect(history.join('\n')).not.toContain('Manual');
    // Two firings and no more: the schedule is gone.
    const done = await waitFor('the cycle to run out', async () => {
      const current = ((await api.get('/definitions/ts-review')).body as Schedules).schedules[0]!;
      return current.fired === 2 && current.nextFirings.length === 0 ? current : undefined;
    });
    expect(done.lastFiredAt).toMatch(/\+08:00$/);
    const finished: unknown = await client.schedule.getHandle(scheduleOf('ts-review:v1:Every')).describe().catch((error: unknown) => error);
    expect(finished).toBeInstanceOf(ScheduleNotFoundError);
    expect(await instancesOf('ts-review')).toHaveLength(2);
    // The none start event still starts instances on demand.
    expect((await api.post('/process-instances', { definitionKey: 'ts-review' })).status).toBe(201);
  });

  it('replaces the schedules when a new version is deployed, and removes them with a version that has none', async () => {
    expect((await deploy(reviewProcess('<bpmn:timeCycle>0 0 9 * * MON-FRI</bpmn:timeCycle>', '定期巡察复核（工作日）'))).status).toBe(201);
    const replaced = (await api.get('/definitions/ts-review')).body as Schedules;
    expect(replaced).toMatchObject({ version: 2, schedules: [{ timer: { value: '0 0 9 * * MON-FRI' }, fired: 0 }] });
    for (const at of replaced.schedules[0]!.nextFirings) expect(at).toMatch(/T09:00:00\+08:00$/);

    expect((await deploy(reviewProcess(null, '定期巡察复核（手动）'))).status).toBe(201);
    expect(((await api.get('/definitions/ts-review')).body as Schedules).schedules).toEqual([]);
    const gone: unknown = await client.schedule.getHandle(scheduleOf('ts-review:v1:Every')).describe().catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ScheduleNotFoundError);
    // Redeploying the same file changes nothing, and keeps nothing scheduled.
    expect((await deploy(reviewProcess(null, '定期巡察复核（手动）'))).status).toBe(200);
    expect(await database.query('SELECT 1 FROM timer_start WHERE definition_key = $1', ['ts-review'])).toEqual([]);
  });

  it('deploys a process that only a timer starts; such a process is not started by hand', async () => {
    expect((await deploy(timerOnlyProcess('<bpmn:timeCycle>R/P1M</bpmn:timeCycle>'))).status).toBe(201);
    const definition = (await api.get('/definitions/ts-reminder')).body as Schedules;
    const [first, second] = definition.schedules[0]!.nextFirings;
    expect(Date.parse(second!) - Date.parse(first!)).toBeGreaterThan(27 * 86_400_000);
    expect(await api.post('/process-instances', { definitionKey: 'ts-reminder' })).toMatchObject({ status: 409, body: { message: expect.stringContaining('starts by message or timer') } });
  });

  it('keeps its schedules across a restart of the application, and makes again one Temporal lost, without a second one', async () => {
    const before = ((await api.get('/definitions/ts-reminder')).body as Schedules).schedules[0]!;
    const taskQueue = api.config.temporal.taskQueue;
    await api.close();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, taskQueue });
    expect(((await api.get('/definitions/ts-reminder')).body as Schedules).schedules[0]!.nextFirings).toEqual(before.nextFirings);

    // A schedule lost behind the application's back (a server without persistence) is made again at the next start.
    await client.schedule.getHandle(scheduleOf('ts-reminder:v1:Monthly')).delete();
    await api.close();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, taskQueue });
    const described = await waitFor('the lost schedule to be made again', () =>
      client.schedule
        .getHandle(scheduleOf('ts-reminder:v1:Monthly'))
        .describe()
        .catch(() => undefined),
    );
    expect(described.info.nextActionTimes.map((at) => at.toISOString())).toEqual(before.nextFirings.map((at) => new Date(at).toISOString()));
    expect(await database.query('SELECT start_event_id FROM timer_start WHERE definition_key = $1', ['ts-reminder'])).toEqual([{ start_event_id: 'Monthly' }]);
  });

  it('fires a date that has passed once, at deployment, as Camunda 8 does, and then keeps no schedule', async () => {
    const xml = timerOnlyProcess('<bpmn:timeDate>2020-01-01T09:00:00+08:00</bpmn:timeDate>').replace(/ts-reminder/g, 'ts-once').replace(/Monthly/g, 'Once');
    expect((await deploy(xml)).status).toBe(201);
    const [started] = await waitFor('the instance the past date starts', async () => {
      const items = await instancesOf('ts-once');
      return items.length > 0 ? items : undefined;
    });
    const done = await waitFor('the timer start to be done', async () => {
      const current = ((await api.get('/definitions/ts-once')).body as Schedules).schedules[0]!;
      return current.fired === 1 && current.nextFirings.length === 0 ? current : undefined;
    });
    expect(done.timer).toEqual({ kind: 'date', value: '2020-01-01T09:00:00+08:00' });
    expect((await api.get(`/process-instances/${started!.id}`)).body).toMatchObject({ definitionKey: 'ts-once' });
    await waitFor('its schedule to be gone', () =>
      client.schedule
        .getHandle(scheduleOf('ts-once:v1:Once'))
        .describe()
        .then(
          () => undefined,
          (error: unknown) => (error instanceof ScheduleNotFoundError ? true : undefined),
        ),
    );
    expect(await instancesOf('ts-once')).toHaveLength(1);
  });

  it('refuses a timer start whose value is not a timer, naming the event, and stores nothing', async () => {
    const refused = await deploy(timerOnlyProcess('<bpmn:timeCycle>=reminderCycle</bpmn:timeCycle>').replace('ts-reminder', 'ts-broken'));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'invalid-definition', findings: [expect.objectContaining({ rule: 'timer-start', elementId: 'Monthly', message: expect.stringContaining('reminderCycle') })] });
    expect((await api.get('/definitions/ts-broken')).status).toBe(404);
  });

  it('answers 404 for a key that was never deployed', async () => {
    expect(await api.get('/definitions/no-such-process')).toMatchObject({ status: 404, body: { error: 'not-found' } });
  });
});
