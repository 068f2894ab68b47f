import { createTestDatabase, type TestDatabase } from './support/database';
import { BPMN_HEADER, deployAll } from './support/instances';
import { startTestApp, type TestApp } from './support/test-app';

/** Feedback due six months after receipt: a timer, then the end. */
const HALF_YEAR = `${BPMN_HEADER}
  <bpmn:process id="clock-half-year" name="半年反馈" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait" name="等待六个月"><bpmn:timerEventDefinition><bpmn:timeDuration>P6M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

interface Detail {
  state: string;
  activeElements: Array<{ elementId: string }>;
}

describe('the test clock: months rehearsed in seconds, never in production', () => {
  let database: TestDatabase;
  let api: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, testClock: true });
    await deployAll(api, [HALF_YEAR]);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('starts an instance on virtual time and fires its timers as the clock is moved', async () => {
    const started = await api.post('/process-instances', { definitionKey: 'clock-half-year', virtualClock: { now: '2026-10-16T09:00:00+08:00' } });
    expect(started.status).toBe(201);
    const id = (started.body as { id: string }).id;
    const halfway = await api.post(`/process-instances/${id}/clock`, { by: 'P3M' });
    expect(halfway).toMatchObject({ status: 200, body: { state: 'active', activeElements: [{ elementId: 'Wait' }] } });
    const after = await api.post(`/process-instances/${id}/clock`, { by: 'P3M' });
    expect(after.status).toBe(200);
    expect((after.body as Detail).state).toBe('completed');
    const [timer] = await database.query<{ due_at: Date; state: string }>(`SELECT due_at, state FROM process_timer WHERE instance_id = $1`, [id]);
    expect(timer).toEqual({ due_at: new Date('2027-04-16T01:00:00Z'), state: 'fired' });
    expect(await api.post(`/process-instances/${id}/clock`, { by: 'P1D' })).toMatchObject({ status: 409, body: { message: 'the instance is completed' } });
  });

  it('refuses to move the clock of an instance on real time, or by something that is not a duration', async () => {
    const id = ((await api.post('/process-instances', { definitionKey: 'clock-half-year' })).body as { id: string }).id;
    expect(await api.post(`/process-instances/${id}/clock`, { by: 'P1D' })).toMatchObject({
      status: 409,
      body: { message: 'the instance runs on real time; its clock cannot be advanced' },
    });
    expect(await api.post(`/process-instances/${id}/clock`, { by: 'half a year' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('by must be an ISO-8601 duration') } });
    expect(await api.post('/process-instances', { definitionKey: 'clock-half-year', virtualClock: { now: 'tomorrow' } })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('virtualClock.now must be an ISO-8601 instant') },
    });
    expect((await api.post(`/process-instances/${id}/cancel`, {})).status).toBe(200);
  });

  it('is not there unless the server runs with TEST_CLOCK=1', async () => {
    const plain = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false });
    try {
      expect(await plain.post('/process-instances', { definitionKey: 'clock-half-year', virtualClock: { now: '2026-10-16T09:00:00+08:00' } })).toMatchObject({
        status: 400,
        body: { error: 'invalid-request', details: { field: 'virtualClock' }, message: 'virtualClock is available only when the server runs with TEST_CLOCK=1, never in production' },
      });
      expect(await plain.post('/process-instances/any-instance/clock', { by: 'P1D' })).toMatchObject({
        status: 403,
        body: { error: 'forbidden', message: 'the test clock is available only when the server runs with TEST_CLOCK=1, never in production' },
      });
    } finally {
      await plain.close();
    }
  });
});
