import * as fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { JobHandlerRegistry } from '@xuncha/activities';
import { checkDefinition } from '@xuncha/bpmn';
import type { ObservedRun, ProcessGraph } from '@xuncha/bpmn-engine';
import { conformanceProblems } from '@xuncha/bpmn-engine';
import { instanceViewQuery } from '@xuncha/contracts';
import { conformanceCases, type LoadedCase } from './support/conformance-cases';
import { type CaseContext, ScriptedJobs, TemporalCaseRunner } from './support/conformance-runner';
import { createTestDatabase, type TestDatabase } from './support/database';
import { e2eTemporalAddress } from './support/temporal';
import { startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { encryptedDataConverter } from '@xuncha/runtime';

/**
 * A case's BPMN with its message names made its own (prefixed): cases run at once on one
 * server and database, and a message reaches at most one instance per process.
 */
function isolated(file: string, prefix: string): string {
  return fs.readFileSync(file, 'utf8').replace(/(<bpmn:message\b[^>]*\bname=")([^"]*)"/g, `$1${prefix}$2"`);
}

/** Compiles a BPMN file of the suite (it must be valid). */
async function compile(file: string, prefix = ''): Promise<ProcessGraph> {
  const { graph, findings } = await checkDefinition(isolated(file, prefix));
  if (!graph) throw new Error(`${file}: ${JSON.stringify(findings)}`);
  return graph;
}

/** Deploys a BPMN file through the API; answers the version now standing for it. */
async function deploy(api: TestApp, file: string, prefix = ''): Promise<{ key: string; version: number }> {
  const response = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: isolated(file, prefix) });
  if (response.status !== 201 && response.status !== 200) throw new Error(`deploying ${file}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { key: string; version: number };
}

/**
 * The same cases as the simulator tier (libs/bpmn/src/engine/conformance.spec.ts), with the
 * same expectations, on a real Temporal server and Postgres: timers are server timers on a
 * virtual clock shortened by the script's time scale, jobs go through the worker's activities,
 * call activities start child workflows.
 */
describe('conformance suite (Temporal tier)', () => {
  const cases = conformanceCases().filter((c) => c.case.simulatorOnly === undefined);
  const jobs = new ScriptedJobs();
  let database: TestDatabase;
  let api: TestApp;
  let connection: Connection;
  let runner: TemporalCaseRunner;
  let counter = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    const graphs = await Promise.all(cases.flatMap((c) => [c.bpmnPath, ...c.callPaths]).map((file) => compile(file)));
    jobs.install(api.app.get(JobHandlerRegistry), graphs);
    connection = await Connection.connect({ address: e2eTemporalAddress() });
    runner = new TemporalCaseRunner(new Client({ connection, dataConverter: encryptedDataConverter(api.config.payload) }), api.config.temporal.taskQueue, jobs);
  });

  afterAll(async () => {
    jobs.drain();
    await connection?.close();
    await api?.close();
    await database?.drop();
  });

  it('runs every case of the suite (at least 40) but those on the virtual clock alone, each saying why', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const simulatorOnly = conformanceCases().filter((c) => c.case.simulatorOnly !== undefined);
    expect(simulatorOnly.map((c) => c.name)).toEqual(['message/expired-before-subscription']);
  });

  it('runs the six-month feedback loop for five years across continueAsNew, losing nothing', async () => {
    const loaded = cases.find((c) => c.name === 'timer/six-month-feedback-for-five-years')!;
    const definition = await deploy(api, loaded.bpmnPath);
    const handle = await runner.start(`conformance-five-years-${Date.now()}`, loaded, await compile(loaded.bpmnPath), definition);
    for (const action of loaded.case.scenario.steps) await runner.apply(handle, action);
    const run = await waitFor('the loop to end', async () => {
      const observed = await runner.observe(handle);
      return conformanceProblems(observed, loaded.case.expect).length === 0 ? observed : undefined;
    });
    expect(run.lines.filter((line) => line === 'completed SendFeedback')).toHaveLength(10);
    // The loop crossed runs: the server suggested continue-as-new and the state came through whole.
    expect((await handle.query(instanceViewQuery)).run).toBeGreaterThan(1);
    // Visibility is eventually consistent: wait until it lists the continued runs.
    const continued = await waitFor('the continued runs in visibility', async () => {
      let count = 0;
      for await (const execution of runner.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
        if (execution.status.name === 'CONTINUED_AS_NEW') count++;
      }
      return count > 0 ? count : undefined;
    });
    expect(continued).toBeGreaterThanOrEqual(1);
  });

  it.concurrent.each(cases.map((c) => [c.name, c] as const))('%s', async (name: string, loaded: LoadedCase) => {
    const prefix = `${name}#`;
    for (const call of loaded.callPaths) await deploy(api, call, prefix);
    const definition = await deploy(api, loaded.bpmnPath, prefix);
    const handle = await runner.start(`conformance-${name.replace('/', '-')}-${Date.now()}-${counter++}`, loaded, await compile(loaded.bpmnPath, prefix), definition);
    // Messages go the product's way: published through the API, buffered, correlated from the read model.
    const context: CaseContext = {
      publish: async (message) => {
        const published = await api.post('/messages', { ...message, name: `${prefix}${message.name}` });
        if (published.status !== 200) throw new Error(`publishing ${message.name}: ${published.status} ${JSON.stringify(published.body)}`);
        return (published.body as { correlated: number }).correlated;
      },
      recordedSubscriptions: async (instanceId) =>
        (await database.query<{ subscription_id: string }>('SELECT subscription_id FROM message_subscription WHERE instance_id = $1', [instanceId])).map(
          (row) => row.subscription_id,
        ),
    };
    for (const action of loaded.case.scenario.steps) await runner.apply(handle, action, context);
    let problems: string[] = [];
    let observed: ObservedRun | undefined;
    try {
      observed = await waitFor(
        'the expected outcome',
        async () => {
          const run = await runner.observe(handle);
          problems = conformanceProblems(run, loaded.case.expect);
          return problems.length === 0 ? run : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
    } catch (error) {
      throw new Error(`${name} does not conform on Temporal:\n${problems.join('\n')}\n(${error instanceof Error ? error.message : String(error)})`);
    }
    expect(observed.status).toBe(loaded.case.expect.status);
  });
});
