import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { checkDefinition } from '@xuncha/bpmn';
import { conformanceProblems } from '@xuncha/bpmn-engine';
import { instanceViewQuery } from '@xuncha/contracts';
import { conformanceCases } from './support/conformance-cases';
import { ScriptedJobs, TemporalCaseRunner } from './support/conformance-runner';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compiled, killIfRunning, startNode, type RunningProcess } from './support/processes';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { encryptedDataConverter } from '@xuncha/runtime';

/**
 * A worker process is killed with SIGKILL in the middle of a conformance case, while a timer of
 * the case sleeps on the server and an update waits for it; a new worker process picks the
 * instance up from its history and the case ends with exactly the expected trace.
 */
describe('killing the worker in the middle of a case', () => {
  const taskQueue = `e2e-kill-${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let api: TestApp;
  let connection: Connection;
  let worker: RunningProcess | undefined;

  const startWorker = async (): Promise<RunningProcess> => {
    const started = startNode(compiled('apps/worker/src/main.js'), {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: e2eTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'info',
    });
    await waitFor('the worker to poll', () => (started.output().includes('Polling task queue') ? true : undefined), { timeoutMs: 60_000 });
    return started;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The API has no worker of its own here: the workers are separate processes on one task queue.
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false, taskQueue });
    connection = await Connection.connect({ address: e2eTemporalAddress() });
  });

  afterAll(async () => {
    killIfRunning(worker);
    await connection?.close();
    await api?.close();
    await database?.drop();
  });

  it('gives the same trace after SIGKILL and a restart', async () => {
    const loaded = conformanceCases().find((c) => c.name === 'timer/interrupting-boundary-escalates')!;
    const xml = fs.readFileSync(loaded.bpmnPath);
    const deployed = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: xml });
    expect(deployed.status).toBe(201);
    const definition = (await deployed.json()) as { key: string; version: number };
    const { graph } = await checkDefinition(xml);

    worker = await startWorker();
    const client = new Client({ connection, dataConverter: encryptedDataConverter(api.config.payload) });
    const runner = new TemporalCaseRunner(client, taskQueue, new ScriptedJobs());
    // One virtual day per real second, so the ten-day boundary timer is still sleeping on the server when the worker dies.
    const slowed = { ...loaded, case: { ...loaded.case, scenario: { ...loaded.case.scenario, timeScale: 86_400 } } };
    const handle = await runner.start(`kill-worker-${Date.now()}`, slowed, graph!, definition);
    await waitFor('the open task', async () => ((await handle.query(instanceViewQuery)).openUserTasks.length > 0 ? true : undefined));

    const [advance, ...rest] = loaded.case.scenario.steps;
    const advancing = runner.apply(handle, advance!);
    advancing.catch(() => undefined);
    await waitFor('the boundary timer to sleep on the server', async () => {
      const history = await handle.fetchHistory();
      return history.events?.some((event) => event.timerStartedEventAttributes) ? true : undefined;
    });
    worker.child.kill('SIGKILL');
    await worker.exited;

    worker = await startWorker();
    await advancing;
    for (const action of rest) await runner.apply(handle, action);
    let problems: string[] = [];
    const observed = await waitFor('the expected outcome', async () => {
      const run = await runner.observe(handle);
      problems = conformanceProblems(run, loaded.case.expect);
      return problems.length === 0 ? run : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${problems.join('\n')}`);
    });
    expect(observed.lines).toEqual(loaded.case.expect.trace);
    expect(observed.timeline).toEqual(expect.arrayContaining(loaded.case.expect.timeline ?? []));
  });
});
