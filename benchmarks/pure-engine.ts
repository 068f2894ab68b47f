// The pure core against the JavaScript peer: whole instances run in memory, no I/O.
import { createRequire } from 'node:module';
import type { EngineEvent, EngineState, ProcessGraph } from '@xuncha/bpmn';
import { checkDefinition, createInstanceState, step } from '@xuncha/bpmn';
import type { CalendarData } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import type { Row } from './harness';
import { formatNumber, formatSummary, paired, ratePerSecond, ratePerSecondAsync, summarize } from './harness';
import { parallelModel, sequenceModel } from './models';

const requireCjs = createRequire(__filename);

interface PeerEngine {
  execute(options?: unknown): Promise<unknown>;
  once(event: string, listener: (...args: unknown[]) => void): void;
}
type PeerEngineConstructor = new (options: { name: string; source: string; services: Record<string, unknown> }) => PeerEngine;

/** Runs one instance to its end, completing every job at once; answers the elements it entered and the steps taken. */
export function runInstance(graph: ProcessGraph, calendar: CalendarData | null): { elements: number; steps: number; state: EngineState } {
  let now = Date.UTC(2026, 9, 9, 1);
  let result = step(createInstanceState(graph, now, calendar, { zone: 'Asia/Shanghai' }), { type: 'start', variables: { round: 'R-1' } }, now);
  let elements = result.trace.filter((entry) => entry.kind === 'entered').length - 1;
  let steps = 1;
  const pending: EngineEvent[] = [];
  for (;;) {
    for (const command of result.commands) if (command.type === 'runJob') pending.push({ type: 'jobCompleted', jobId: command.jobId, variables: { done: true } });
    const next = pending.shift();
    if (!next) break;
    now += 1000;
    result = step(result.state, next, now);
    elements += result.trace.filter((entry) => entry.kind === 'entered').length;
    steps += 1;
  }
  if (result.state.status !== 'completed') throw new Error(`the benchmark instance of ${graph.processId} did not complete`);
  return { elements, steps, state: result.state };
}

async function graphOf(xml: string): Promise<ProcessGraph> {
  const checked = await checkDefinition(xml);
  if (!checked.graph) throw new Error(`the benchmark model does not compile: ${checked.findings.map((f) => f.message).join('; ')}`);
  return checked.graph;
}

async function runPeer(Engine: PeerEngineConstructor, xml: string): Promise<void> {
  const engine = new Engine({ name: 'bench', source: xml, services: { bench: (_context: unknown, next: (error: unknown, result?: unknown) => void) => next(null, { done: true }) } });
  const ended = new Promise<void>((resolve, reject) => {
    engine.once('end', () => resolve());
    engine.once('error', (error) => reject(error as Error));
  });
  await engine.execute();
  await ended;
}

interface Shape {
  name: string;
  ours: string;
  peer: string;
  target: number | null;
}

/** Elements per second of this engine and of bpmn-engine on each shape, paired, plus the bytes a step allocates. */
export async function pureEngineRows(rounds: number, secondsPerSample: number): Promise<Row[]> {
  const { Engine } = requireCjs('bpmn-engine') as { Engine: PeerEngineConstructor };
  const calendar = chineseDaysCalendar();
  const shapes: Shape[] = [
    { name: '50 sequential service tasks', ours: sequenceModel(50, 'zeebe'), peer: sequenceModel(50, 'peer'), target: 200_000 },
    { name: '100-item parallel multi-instance', ours: parallelModel(100, 'zeebe'), peer: parallelModel(100, 'peer'), target: 100_000 },
    { name: '400-item parallel multi-instance', ours: parallelModel(400, 'zeebe'), peer: parallelModel(400, 'peer'), target: null },
  ];
  const rows: Row[] = [];
  for (const shape of shapes) {
    const graph = await graphOf(shape.ours);
    const { elements, steps } = runInstance(graph, calendar);
    const ms = secondsPerSample * 1000;
    const result = await paired(
      rounds,
      () => ratePerSecond(() => runInstance(graph, calendar).elements, ms),
      () =>
        ratePerSecondAsync(async () => {
          await runPeer(Engine, shape.peer);
          return elements;
        }, ms),
    );
    const ours = summarize(result.a);
    const peer = summarize(result.b);
    rows.push({
      section: 'Pure engine',
      what: `${shape.name} (${elements} elements, ${steps} steps), elements/s`,
      ours: formatSummary(ours),
      peer: `bpmn-engine ${formatSummary(peer)}; ours/peer ${formatNumber(summarize(result.ratios).median, 1)}×`,
      target: shape.target === null ? '—' : `≥ ${formatNumber(shape.target)}`,
      met: shape.target === null ? null : ours.median >= shape.target,
      why: !shape.name.includes('multi-instance')
        ? undefined
        : 'a step copies each map of the state it changes (copy-on-write per map, not per entry). A parallel multi-instance keeps one element instance per item in the ' +
        'one map of element instances, so each of its ~100 steps copies ~100 entries: the cost of an instance grows with the square of its width (compare the 400-item row). ' +
        `Missed by ${formatNumber(Math.max(0, 100 - (ours.median / 1000)), 0)} % of the target. Closing it needs a structurally shared map for element instances (a persistent ` +
        'hash map keeping creation order), which changes the shape of the state instances carry across continue-as-new: a state version of its own, upgraded from the current one.',
    });
  }
  rows.push(...(await allocationRows(calendar)));
  return rows;
}

/** Heap allocated per step (with the garbage collector held off by a large young generation, measured around gc calls). */
async function allocationRows(calendar: CalendarData): Promise<Row[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return [{ section: 'Pure engine', what: 'bytes allocated per step', ours: 'run with --expose-gc', peer: '—', target: '—', met: null }];
  const graph = await graphOf(sequenceModel(50, 'zeebe'));
  const rows: Row[] = [];
  for (const [label, data] of [
    ['with the working-day calendar', calendar],
    ['without a calendar', null],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      gc();
      const before = process.memoryUsage().heapUsed;
      const { steps, state } = runInstance(graph, data);
      const after = process.memoryUsage().heapUsed;
      samples.push((after - before) / steps);
      if (state.status !== 'completed') throw new Error('unreachable');
    }
    rows.push({ section: 'Pure engine', what: `heap growth per step, 50-task sequence, ${label} (bytes)`, ours: formatSummary(summarize(samples)), peer: '—', target: '—', met: null });
  }
  return rows;
}
