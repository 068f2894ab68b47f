import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { conformanceCases } from '../../../../test/support/conformance-cases';
import { checkDefinition } from '../definition/check';
import type { ProcessGraph } from '../definition/graph';
import { conformanceProblems, observeSimulation } from './conformance';
import { simulate } from './simulator';

/**
 * Host time zones the suite also runs under, each in a Jest process of its own (a process's
 * zone is fixed once it runs): the engine reads time only in an instance's own zone, so a
 * worker in UTC and one in New York (with daylight saving time) must give the same traces.
 */
const HOST_ZONES = [
  { zone: 'UTC', januaryOffset: 0 },
  { zone: 'America/New_York', januaryOffset: 300 },
] as const;

/** Set in a run started by this spec for one host zone: where to write its traces. */
const TRACES_FILE = process.env.CONFORMANCE_TRACES_FILE;

const ROOT = path.resolve(__dirname, '../../../..');

/** Runs this spec in a Jest process whose host clock is in `zone`; answers the traces it wrote. */
function runOnHostIn(zone: string): Promise<{ januaryOffset: number; traces: Record<string, string> }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-')), 'traces.json');
  const args = [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    path.join(ROOT, 'node_modules/jest/bin/jest.js'),
    '--config',
    path.join(ROOT, 'jest.config.js'),
    '--runInBand',
    '--silent',
    path.relative(ROOT, __filename),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, TZ: zone, CONFORMANCE_TRACES_FILE: file }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`the suite failed on a host in ${zone}:\n${stdout}\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(fs.readFileSync(file, 'utf8')) as { januaryOffset: number; traces: Record<string, string> });
      } catch (cause) {
        reject(new Error(`the run on a host in ${zone} wrote no traces: ${String(cause)}\n${stderr}`));
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    });
  });
}

describe('conformance suite (simulator tier)', () => {
  const cases = conformanceCases();
  /** Timeline and status of each case in this process. */
  const traces: Record<string, string> = {};

  afterAll(() => {
    if (TRACES_FILE) fs.writeFileSync(TRACES_FILE, JSON.stringify({ januaryOffset: new Date(2026, 0, 1).getTimezoneOffset(), traces }));
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, loaded) => {
    const { findings, graph } = await checkDefinition(fs.readFileSync(loaded.bpmnPath));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const processes: Record<string, ProcessGraph> = {};
    for (const file of loaded.callPaths) {
      const called = await checkDefinition(fs.readFileSync(file));
      expect(called.findings.filter((f) => f.severity === 'error')).toEqual([]);
      processes[called.graph!.processId] = called.graph!;
    }
    const result = simulate(graph!, loaded.case.scenario, processes, chineseDaysCalendar());
    traces[name] = JSON.stringify([result.timeline, result.state.status]);
    expect(conformanceProblems(observeSimulation(result), loaded.case.expect)).toEqual([]);
  });

  // The runs this test starts only report their traces.
  if (TRACES_FILE) return;
  it(
    'gives identical traces, at identical times, on hosts in UTC and in New York',
    async () => {
      expect(Object.keys(traces)).toHaveLength(cases.length);
      for (const { zone, januaryOffset } of HOST_ZONES) {
        const run = await runOnHostIn(zone);
        expect({ zone, januaryOffset: run.januaryOffset }).toEqual({ zone, januaryOffset });
        expect(run.traces).toEqual(traces);
      }
    },
    180_000,
  );
});
