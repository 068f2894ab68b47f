import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Principal } from '@xuncha/contracts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { deployAll, oneTaskProcess, startInstance, taskOf } from './support/instances';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';

const OFFICE: Principal = { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] };
const OPERATOR: Principal = { sub: 'liu.ops', name: '刘运维', groups: ['process-admin'] };

const SUSPECT = '张三涉嫌收受礼金';
const AMOUNT = 987654;

const PROCESS = oneTaskProcess('encrypted-probe', '加密探针', 'inspection-office');

interface CodecPayload {
  metadata: Record<string, string>;
  data: string;
}

describe('payload encryption', () => {
  let database: TestDatabase;
  let api: TestApp;
  let raw: Client;
  let instanceId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    // A client without the codec: what Temporal stores, as anyone with access to its database sees it.
    raw = new Client({ connection: await Connection.connect({ address: e2eTemporalAddress() }) });
    await deployAll(api, [PROCESS]);
    instanceId = await startInstance(api, 'encrypted-probe', { variables: { suspect: SUSPECT, amount: AMOUNT } });
    const task = await taskOf<{ id: string; elementId: string }>(api, instanceId, 'Check', OFFICE);
    expect((await api.post(`/tasks/${task.id}/complete`, { variables: { finding: `${SUSPECT}属实` } }, OFFICE)).status).toBe(200);
  });

  afterAll(async () => {
    await raw?.connection.close();
    await api?.close();
    await database?.drop();
  });

  const history = async (): Promise<temporal.api.history.v1.IHistory> =>
    (await raw.workflowService.getWorkflowExecutionHistory({ namespace: api.config.temporal.namespace, execution: { workflowId: instanceId } })).history!;

  it("keeps no readable value in the instance's Temporal history, and the instance still runs to its end", async () => {
    const events = (await history()).events ?? [];
    const bytes = Buffer.from(temporal.api.history.v1.History.encode({ events }).finish());
    for (const value of [SUSPECT, String(AMOUNT), '属实', 'suspect']) expect([value, bytes.includes(Buffer.from(value))]).toEqual([value, false]);
    const started = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(new TextDecoder().decode(started?.metadata?.encoding ?? new Uint8Array())).toBe('binary/encrypted');
    // Through the application, which holds the key, the values are there.
    expect((await api.get(`/process-instances/${instanceId}`)).body).toMatchObject({ variables: { suspect: SUSPECT, amount: AMOUNT } });
  });

  it('shows the values through the codec endpoint to a process administrator only', async () => {
    const started = (await history()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const payloads: CodecPayload[] = started.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    }));
    const decoded = await api.post('/codec/decode', { payloads }, OPERATOR);
    expect(decoded.status).toBe(200);
    const plain = (decoded.body as { payloads: CodecPayload[] }).payloads.map((payload) => Buffer.from(payload.data, 'base64').toString('utf8')).join(' ');
    expect(plain).toContain(SUSPECT);
    expect(await api.post('/codec/decode', { payloads }, OFFICE)).toMatchObject({ status: 403, body: { details: { permission: 'codec' } } });
    expect(await api.post('/codec/decode', { payloads }, null)).toMatchObject({ status: 401 });
    expect(await api.post('/codec/decode', { payloads: [{ metadata: { encoding: 'not base64!' }, data: '' }] }, OPERATOR)).toMatchObject({
      status: 400,
      body: { details: { field: 'payloads[0].metadata.encoding' } },
    });
    // Encoding and decoding again comes back to the same value.
    const encoded = await api.post('/codec/encode', { payloads: (decoded.body as { payloads: CodecPayload[] }).payloads }, OPERATOR);
    const again = await api.post('/codec/decode', encoded.body, OPERATOR);
    expect((again.body as { payloads: CodecPayload[] }).payloads).toEqual((decoded.body as { payloads: CodecPayload[] }).payloads);
  });
});
