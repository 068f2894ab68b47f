// BENCH_FULL: the memory of a worker holding 10,000 open instances (each waiting on a person),
// against the hand-written peer holding as many, both with every instance kept in the cache.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Principal } from '@xuncha/contracts';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import { loadConfig } from '@xuncha/config';
import { encryptedDataConverter, InstanceLauncher } from '@xuncha/runtime';
import { TEMPORAL_WORKER } from '../apps/worker/src/worker.tokens';
import type { BenchApp } from './environment';
import { benchTemporal, createBenchDatabase, quietRuntime, startBenchApp } from './environment';
import type { Row } from './harness';
import { formatNumber } from './harness';
import type { PeerActivities } from './temporal/peer.workflow';

const ADMIN: Principal = { sub: 'bench.admin', name: '管理员', groups: ['process-admin', 'supervisor'] };

/** One user task: an instance that waits on a person, as most clue and round instances do most of the time. */
const ONE_TASK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_memory" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="bench-open" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="wait" name="研判"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="bench-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function inBatches(count: number, parallel: number, start: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await start(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}

/** Resident memory (bytes) after a full collection of the main thread's heap. */
function resident(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

/** Waits until the worker holds `count` instances and none is being worked on; fails after `timeoutMs`. */
async function settled(worker: Worker, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = worker.getStatus();
    if (status.numCachedWorkflows >= count && status.numInFlightWorkflowActivations === 0) return;
    if (Date.now() > deadline) throw new Error(`the worker holds ${status.numCachedWorkflows} of ${count} instances after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function memoryRows(instances: number): Promise<Row[]> {
  quietRuntime();
  const server = await benchTemporal();
  const cacheSize = instances + 100;
  const timeoutMs = 30 * 60_000;

  // The peer first, in a process that has held nothing yet: resident memory rarely shrinks.
  const connection = await NativeConnection.connect({ address: server.address });
  // The peer's payloads are encrypted like the engine's, so both pay for it alike.
  const dataConverter = encryptedDataConverter(loadConfig({}).payload);
  const peerClient = new Client({ connection: await Connection.connect({ address: server.address }), dataConverter });
  const peerQueue = `bench-peer-memory-${randomBytes(4).toString('hex')}`;
  const activities: PeerActivities = { benchStep: () => Promise.resolve({}) };
  const peerWorker = await Worker.create({
    connection,
    taskQueue: peerQueue,
    workflowsPath: require.resolve('./temporal/peer.workflow'),
    activities,
    maxCachedWorkflows: cacheSize,
    dataConverter,
  });
  const peerRun = peerWorker.run();
  let peerBytes: number;
  try {
    const before = resident();
    await inBatches(instances, 50, (i) => peerClient.workflow.start('handWrittenWaiting', { workflowId: `peer-open-${i}-${randomBytes(3).toString('hex')}`, taskQueue: peerQueue, args: [{ round: 'R-1' }] }));
    await settled(peerWorker, instances, timeoutMs);
    peerBytes = resident() - before;
  } finally {
    peerWorker.shutdown();
    await peerRun.catch(() => undefined);
    await peerClient.connection.close();
  }

  const database = await createBenchDatabase();
  let bench: BenchApp | undefined;
  let oursBytes: number;
  try {
    bench = await startBenchApp(database, true, { maxCachedWorkflows: cacheSize });
    const deployed = await bench.post('/definitions', ONE_TASK, ADMIN, 'application/xml');
    if (deployed.status >= 300) throw new Error(`deploying the memory model answered ${deployed.status}: ${JSON.stringify(deployed.body)}`);
    const version = await bench.app.get(ProcessDefinitionRepository).latest('bench-open');
    if (!version) throw new Error('the memory model was not stored');
    const launcher = bench.app.get(InstanceLauncher);
    const worker = bench.app.get<Worker>(TEMPORAL_WORKER);
    const before = resident();
    await inBatches(instances, 50, (i) =>
      launcher.launch({ id: `open-${i}-${randomBytes(3).toString('hex')}`, definition: version, variables: { round: 'R-1' }, businessKey: null }),
    );
    await settled(worker, instances, timeoutMs);
    const [{ n }] = (await database.query(`SELECT count(*) AS n FROM user_task WHERE state = 'created'`)) as [{ n: string }];
    if (Number(n) !== instances) throw new Error(`the read model shows ${n} of ${instances} open tasks`);
    oursBytes = resident() - before;
  } finally {
    await bench?.close();
    await database.drop();
  }
  const perInstance = (bytes: number): string => `${formatNumber(bytes / instances / 1024, 1)} KiB per instance (${formatNumber(bytes / 1024 / 1024, 0)} MiB in all)`;
  return [
    {
      section: 'Memory',
      what: `worker process holding ${formatNumber(instances, 0)} open instances (each waiting on a person, all cached), growth of resident memory`,
      ours: perInstance(oursBytes),
      peer: `hand-written workflow waiting on a signal: ${perInstance(peerBytes)}; ratio ${formatNumber(oursBytes / peerBytes, 2)}`,
      target: '—',
      met: null,
    },
  ];
}
