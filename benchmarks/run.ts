// `npm run bench`: every figure beside its peer or limit, printed and written to BENCHMARKS.md.
// BENCH_FULL=1 adds the long parts; BENCH_ONLY=<section,…> runs some sections only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from './harness';
import { machine } from './harness';
import { consoleRows } from './console';
import { durableRows } from './durable';
import { ledgerRows } from './ledger';
import { memoryRows } from './memory';
import { stopBenchTemporal } from './environment';
import { pureEngineRows } from './pure-engine';
import { readModelRows } from './read-models';

interface Section {
  key: string;
  title: string;
  method: string;
  run: () => Promise<Row[] | { rows: Row[]; plans: string }>;
  /** Run only with BENCH_FULL=1 or when named in BENCH_ONLY. */
  full?: boolean;
}

const full = process.env.BENCH_FULL === '1';
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);

const sections: Section[] = [
  {
    key: 'pure',
    title: 'Pure engine',
    method:
      'Whole instances run through `step()` in memory, every job completed at once, against bpmn-engine running the same shape (its services answer at once). ' +
      'Rounds alternate which side goes first; each sample runs instances for a fixed time and counts the elements entered.',
    run: () => pureEngineRows(full ? 9 : 5, full ? 2 : 1),
  },
  {
    key: 'temporal',
    title: 'Durable execution on Temporal',
    method:
      'One Temporal dev server and one Postgres database for the run. Interpreted: a BPMN sequence of five service tasks started through the engine (read models written as in production). ' +
      'Peer: the same five steps written by hand as a Temporal workflow, with no read model, on its own worker in the same process. Each round starts the instances 20 at a time and waits for all to end; rounds alternate which side goes first. ' +
      'History figures are those of one instance of each. The latency is from the answer of POST /tasks/:id/complete to the next task showing in GET /tasks (polled back to back).',
    run: () => durableRows(full ? 200 : 100, full ? 5 : 3, full ? 100 : 40),
  },
  {
    key: 'read',
    title: 'Read models at scale',
    method:
      'A fresh database gets 1,000,000 open tasks over 20 candidate groups (a tenth assigned, one in thirteen without a due date) and 100,000 pending timers, half on a task; ' +
      'the real API then answers the first page of 50 and pages after it by cursor, for a supervisor (sees everything) and for a member of one group, timed by a client in a process of its own making sequential calls over one kept-alive connection after a warm-up. ' +
      'The plans are those Postgres ran (EXPLAIN ANALYZE), after the figures.',
    run: () => readModelRows(Number(process.env.BENCH_TASKS ?? 1_000_000), Number(process.env.BENCH_TIMERS ?? 100_000), full ? 1000 : 300),
  },
  {
    key: 'ledger',
    title: 'Clue ledger at scale',
    method:
      'A fresh database gets 300,000 clues over 10 rounds, 50 inspected units and 5 commission offices (a fiftieth restricted, four in five with an owner) and 10,000 grants; ' +
      'the real API answers the first page of 50 of the ledger, and of one unit\'s lines, for a supervisor (every line not restricted) and for an officer outside the keeping bodies ' +
      '(the clues they registered, own, were granted, or were ever assigned or completed a task of; the seeded clues have no tasks, so that part of the circle is read from its indexes and finds nothing), timed by a client in a process of its own. The plans are those Postgres ran (EXPLAIN ANALYZE).',
    run: () => ledgerRows(Number(process.env.BENCH_CLUES ?? 300_000), full ? 1000 : 300),
  },
  {
    key: 'console',
    title: 'Console',
    method:
      'Sizes are those the browser downloads, gzip, from dist/console as the build leaves it: the first load is the entry script with everything it imports statically and its styles; ' +
      'a page\'s figure is what it adds on top. The inbox is timed in Debian\'s Chromium against the real API on a fresh database holding 1,000 open tasks of the caller\'s group, ' +
      'from navigation to the first rows shown with the table done loading, each time in a new browser context (no cache) holding the session as the login leaves it (token and caller), after one warm-up load.',
    run: () => consoleRows(Number(process.env.BENCH_INBOX_TASKS ?? 1000), full ? 10 : 5),
  },
  {
    key: 'memory',
    title: 'Memory of open instances',
    method:
      'BENCH_FULL only (or BENCH_ONLY=memory). A worker with room in its cache for every instance holds 10,000 open instances that wait on a person: ' +
      'the engine runs a BPMN process of one user task (its read models written); the peer is a hand-written workflow waiting on a signal, measured first, on its own worker in the same process. ' +
      'The figure is the growth of the process\'s resident memory (main thread and workflow threads) from before the first start to when every instance is held and idle.',
    full: true,
    run: () => memoryRows(Number(process.env.BENCH_OPEN_INSTANCES ?? 10_000)),
  },
];

function table(rows: Row[]): string {
  const lines = ['| what | ours | peer or limit | target | met |', '|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.what} | ${row.ours} | ${row.peer} | ${row.target} | ${row.met === null ? '—' : row.met ? 'yes' : '**no**'} |`);
  const missed = rows.filter((row) => row.met === false && row.why);
  if (missed.length > 0) lines.push('', 'Missed, and why:', '', ...missed.map((row) => `- *${row.what}*: ${row.why}`));
  return lines.join('\n');
}

/** The sections of an earlier BENCHMARKS.md, by title, each from its heading to the next. */
function sectionsOf(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of text.split(/^(?=## )/m).slice(1)) found.set(part.slice(3, part.indexOf('\n')).trim(), part.trimEnd());
  return found;
}

async function main(): Promise<void> {
  const started = Date.now();
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md');
  // A run of some sections (BENCH_ONLY) keeps the others as an earlier run measured them, each saying when.
  const earlier = only.length > 0 && existsSync(file) ? sectionsOf(readFileSync(file, 'utf8')) : new Map<string, string>();
  const parts: string[] = [];
  for (const section of sections) {
    const selected = only.length > 0 ? only.includes(section.key) : section.full !== true || full;
    if (!selected) {
      const kept = earlier.get(section.title);
      if (kept) parts.push(`${kept}\n`);
      continue;
    }
    process.stdout.write(`\n== ${section.title}\n`);
    const sectionStarted = Date.now();
    const result = await section.run();
    const rows = Array.isArray(result) ? result : result.rows;
    const plans = Array.isArray(result) ? '' : result.plans;
    const text = table(rows);
    const seconds = ((Date.now() - sectionStarted) / 1000).toFixed(0);
    process.stdout.write(`${text}\n(${seconds} s)\n${plans ? `\n${plans}\n` : ''}`);
    const when = `_Measured ${new Date().toISOString()} (${full ? 'full' : 'default'} run), in ${seconds} s._`;
    parts.push(`## ${section.title}\n\n${when}\n\n${section.method}\n\n${text}\n${plans ? `\n<details><summary>Plans</summary>\n\n\`\`\`\n${plans}\n\`\`\`\n\n</details>\n` : ''}`);
  }
  await stopBenchTemporal();
  const report = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`BENCH_FULL=1` adds the long parts; `BENCH_ONLY=pure,temporal,read,ledger,memory` measures some sections again and keeps the others). Figures are medians of paired rounds; the spread (±) is half the interquartile range as a share of the median, then the lowest and highest sample.',
    '',
    `- Machine: ${machine()}`,
    `- Last run: ${new Date().toISOString()}, ${full ? 'full' : 'default'} run${only.length > 0 ? ` of ${only.join(', ')}` : ''}, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
    '',
    ...parts,
  ].join('\n');
  writeFileSync(file, `${report}\n`);
  process.stdout.write(`\nWritten to ${file}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
