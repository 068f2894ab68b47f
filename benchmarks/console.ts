// The console's budget: what the browser downloads (gzip) for the first page and for the pages
// that draw diagrams, forms and charts, that the diagram code stays out of the first load, and
// how soon the inbox with 1,000 open tasks is usable in Debian's Chromium.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Principal } from '@xuncha/contracts';
import { chromium } from 'playwright-core';
import type { BenchApp } from './environment';
import { createBenchDatabase, startBenchApp } from './environment';
import type { Row } from './harness';
import { formatNumber, formatSummary, summarize } from './harness';

const SECTION = 'console';
const DIST = path.resolve(__dirname, '..', '..', 'dist', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OFFICER: Principal = { sub: 'bench.officer', name: '巡察办干部', groups: ['inspection-office'] };

const kb = (bytes: number): string => `${formatNumber(bytes / 1024, 0)} KB`;

/** The gzip size of a built asset. */
function gzipped(file: string): number {
  return gzipSync(readFileSync(path.join(DIST, 'assets', file))).length;
}

/** The assets a chunk pulls in statically (its `import … from "./x.js"`), transitively, itself included. */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(path.join(DIST, 'assets', entry), 'utf8');
  for (const match of text.matchAll(/(?:from\s*|import\s*)["']\.\/([\w.-]+\.js)["']/g)) closure(match[1]!, seen);
  return seen;
}

function bundleRows(): Row[] {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    return [{ section: SECTION, what: 'console bundle', ours: 'not built', peer: '—', target: 'npm run build', met: false, why: 'dist/console is missing: the build did not run' }];
  }
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const entry = /src="\/console\/assets\/([\w.-]+\.js)"/.exec(html)?.[1];
  const css = [...html.matchAll(/href="\/console\/assets\/([\w.-]+\.css)"/g)].map((match) => match[1]!);
  if (!entry) throw new Error('index.html names no entry script');
  const files = readdirSync(path.join(DIST, 'assets'));
  const chunk = (prefix: string): string => {
    const found = files.find((file) => file.startsWith(`${prefix}-`) && file.endsWith('.js'));
    if (!found) throw new Error(`no ${prefix} chunk in dist/console/assets`);
    return found;
  };
  const first = closure(entry);
  const firstBytes = [...first].reduce((sum, file) => sum + gzipped(file), 0) + css.reduce((sum, file) => sum + gzipped(file), 0);
  const inbox = closure(chunk('Inbox'));
  const pageBytes = (name: string, extra: string[] = []): number => {
    const own = new Set([...closure(chunk(name)), ...extra.flatMap((other) => [...closure(chunk(other))])]);
    return [...own].filter((file) => !first.has(file)).reduce((sum, file) => sum + gzipped(file), 0);
  };
  const diagram = chunk('Diagram');
  const diagramOnFirst = first.has(diagram) || inbox.has(diagram) || html.includes(diagram);
  return [
    { section: SECTION, what: 'first load: entry script, its static imports and styles (gzip)', ours: kb(firstBytes), peer: '—', target: '≤ 450 KB', met: firstBytes <= 450 * 1024 },
    { section: SECTION, what: 'inbox page, beyond the first load (gzip)', ours: kb(pageBytes('Inbox')), peer: '—', target: '≤ 150 KB', met: pageBytes('Inbox') <= 150 * 1024 },
    { section: SECTION, what: 'task page with its form (form-js), beyond the first load (gzip)', ours: kb(pageBytes('Task')), peer: '—', target: '≤ 250 KB', met: pageBytes('Task') <= 250 * 1024 },
    { section: SECTION, what: 'diagram (bpmn-js), loaded by pages that draw one (gzip)', ours: kb(pageBytes('Diagram')), peer: '—', target: '≤ 250 KB', met: pageBytes('Diagram') <= 250 * 1024 },
    { section: SECTION, what: 'charts (ECharts), loaded by the statistics (gzip)', ours: kb(pageBytes('Chart')), peer: '—', target: '≤ 250 KB', met: pageBytes('Chart') <= 250 * 1024 },
    { section: SECTION, what: 'diagram code in the first load or the inbox', ours: diagramOnFirst ? 'yes' : 'no', peer: '—', target: 'no', met: !diagramOnFirst },
  ];
}

/** 1,000 open tasks for the inspection office, due over the coming months, a tenth overdue. */
async function seed(query: (sql: string) => Promise<unknown>, tasks: number): Promise<void> {
  await query(`
    INSERT INTO user_task (instance_id, task_id, element_id, name, definition_key, business_key, assignee, candidate_groups, candidate_users, priority, due_at, state, created_at, revision)
    SELECT 'bench-inbox-' || g, 'element-1', 'Check', '核实线索', 'clue', 'XS-2026-' || g, NULL, '["inspection-office"]'::jsonb, '[]'::jsonb, 50,
      now() + ((g % 120) - 12) * interval '1 day', 'created', now() - g * interval '1 minute', 1
    FROM generate_series(1, ${tasks}) g`);
  await query('VACUUM ANALYZE user_task');
}

/** Milliseconds from navigation to the inbox's rows shown and the table done loading, in a fresh browser context (no cache) each time. */
async function inboxTimes(bench: BenchApp, rounds: number): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const token = bench.authorization(OFFICER).slice('Bearer '.length);
  const me = await (await fetch(`${bench.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).text();
  const times: number[] = [];
  try {
    for (let round = 0; round < rounds + 1; round++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      // The session as the login leaves it (the token, and who it is), before the console's first script runs: the inbox reloaded.
      await context.addInitScript(
        ([value, caller]) => {
          const storage = (globalThis as unknown as { sessionStorage: { setItem(key: string, value: string): void } }).sessionStorage;
          storage.setItem('xuncha.token', value);
          storage.setItem('xuncha.me', caller);
        },
        [token, me] as const,
      );
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${bench.url}/console/`);
      await page.locator('.ant-table-row').first().waitFor();
      await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
      const elapsed = performance.now() - started;
      const total = await page.getByText(/共 \d+ 项/).innerText();
      if (!total.includes('1000') && !total.includes('1,000')) throw new Error(`the inbox shows "${total}", not the 1,000 seeded tasks`);
      // The first load warms the server; the rounds after it are measured.
      if (round > 0) times.push(elapsed);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

export async function consoleRows(tasks: number, rounds: number): Promise<Row[]> {
  const rows = bundleRows();
  if (!existsSync(CHROMIUM)) {
    rows.push({ section: SECTION, what: `inbox with ${formatNumber(tasks)} open tasks usable`, ours: 'not measured', peer: '—', target: '≤ 1,500 ms', met: null, why: `no Chromium at ${CHROMIUM}` });
    return rows;
  }
  const database = await createBenchDatabase();
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(database, false);
    await seed((sql) => database.query(sql), tasks);
    const times = summarize(await inboxTimes(bench, rounds));
    rows.push({
      section: SECTION,
      what: `inbox with ${formatNumber(tasks)} open tasks usable (navigation to rows shown, fresh browser, localhost)`,
      ours: formatSummary(times, 0, ' ms'),
      peer: '—',
      target: '≤ 1,500 ms',
      met: times.median <= 1500,
      why:
        'on this 2-core machine headless Chromium renders without a GPU, and the browser and the API share the two cores. The requests now start before the component libraries are evaluated ' +
        '(the caller, kept with the session, the inbox code, its first page and the names at once, by ~0.6 s) and the layout and the inbox appear in one render (no loading state, no Suspense reveal delay), ' +
        'but that render of Ant Design components (layout, menu, filters, table, pagination) still takes 700–900 ms of main thread, and the run-to-run spread here is ±15 %. ' +
        'Next: a lighter shell (menu and filters without Ant Design on the first paint), or the table drawn in plain HTML for the first page',
    });
  } finally {
    await bench?.close();
    await database.drop();
  }
  return rows;
}
