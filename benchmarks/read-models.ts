// The read models at scale: a million open tasks and a hundred thousand pending timers, the
// inbox and the deadline board read through the real API by a supervisor and by a member of
// one of twenty groups, with the plans Postgres runs.
import { fork } from 'node:child_process';
import type { Principal } from '@xuncha/contracts';
import { DeadlineRepository, TaskRepository } from '@xuncha/persistence';
import type { BenchApp, BenchDatabase } from './environment';
import { createBenchDatabase, startBenchApp } from './environment';
import type { Row } from './harness';
import type { ProbeAnswer, ProbeRequest } from './http-probe';
import { formatNumber, percentile } from './harness';

const SUPERVISOR: Principal = { sub: 'bench.supervisor', name: '督查员', groups: ['supervisor'] };
const MEMBER: Principal = { sub: 'bench.member', name: '组员', groups: ['group-3'] };

/** A million open tasks over twenty groups (a tenth assigned, one in thirteen without a due date) and 100,000 pending timers, half on a task. */
async function seed(database: BenchDatabase, tasks: number, timers: number): Promise<void> {
  await database.query(`
    INSERT INTO user_task (instance_id, task_id, element_id, name, definition_key, business_key, assignee, candidate_groups, candidate_users, priority, due_at, state, created_at, revision)
    SELECT 'inst-' || g, 'element-1', 'Task_' || (g % 7), '研究处置方式', 'clue-disposal', 'XS-' || g,
      CASE WHEN g % 10 = 0 THEN 'user-' || (g % 500) ELSE NULL END,
      jsonb_build_array('group-' || (g % 20)), '[]'::jsonb, 50,
      CASE WHEN g % 13 = 0 THEN NULL ELSE timestamptz '2026-01-01' + (g % 400000) * interval '1 minute' END,
      CASE WHEN g % 3 = 0 THEN 'claimed' ELSE 'created' END,
      timestamptz '2025-06-01' + g * interval '10 seconds', 1
    FROM generate_series(1, ${tasks}) g`);
  await database.query(`
    INSERT INTO process_timer (instance_id, timer_id, element_id, name, owner_task_id, definition_key, business_key, due_at, state)
    SELECT 'inst-' || (g * 9 + 1), 'timer-' || g, 'Timer_remind', '催办', CASE WHEN g % 2 = 0 THEN 'element-1' ELSE NULL END, 'clue-disposal', 'XS-' || (g * 9 + 1),
      timestamptz '2026-01-01' + (g % 300000) * interval '1 minute', 'pending'
    FROM generate_series(1, ${timers}) g`);
  // As the instance record writes them: a timer on a task carries the task's people.
  await database.query(`
    UPDATE process_timer p SET assignee = u.assignee, candidate_groups = u.candidate_groups, candidate_users = u.candidate_users
    FROM user_task u WHERE u.instance_id = p.instance_id AND u.task_id = p.owner_task_id`);
  await database.query('VACUUM ANALYZE user_task');
  await database.query('VACUUM ANALYZE process_timer');
}

/**
 * Latencies (ms) of `count` sequential calls after a warm-up, timed by a client in a process of
 * its own (benchmarks/http-probe); each answer is checked.
 */
export async function latencies(bench: BenchApp, path: string, as: Principal, count: number): Promise<number[]> {
  const child = fork(require.resolve('./http-probe'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const answer = await new Promise<ProbeAnswer>((resolve, reject) => {
      child.once('message', (message: ProbeAnswer) => resolve(message));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the HTTP probe ended (${code}) before answering`)));
      const request: ProbeRequest = { url: bench.url + path, authorization: bench.authorization(as), warmUp: 20, count };
      child.send(request);
    });
    if ('error' in answer) throw new Error(answer.error);
    return answer.latencies;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

export interface ReadModelResult {
  rows: Row[];
  plans: string;
}

export async function readModelRows(tasks: number, timers: number, calls: number): Promise<ReadModelResult> {
  const database = await createBenchDatabase();
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(database, false);
    const seeded = performance.now();
    await seed(database, tasks, timers);
    const seedSeconds = (performance.now() - seeded) / 1000;
    const rows: Row[] = [];
    const cases: Array<[string, string, Principal]> = [
      ['GET /tasks, supervisor', '/tasks', SUPERVISOR],
      ['GET /tasks, member of one group', '/tasks', MEMBER],
      ['GET /deadlines, supervisor', '/deadlines', SUPERVISOR],
      ['GET /deadlines, member of one group', '/deadlines', MEMBER],
    ];
    for (const [what, path, as] of cases) {
      const samples = await latencies(bench, `${path}?pageSize=50`, as, calls);
      const first = (await bench.get(`${path}?pageSize=50`, as)).body as { nextCursor: string };
      const next = await latencies(bench, `${path}?pageSize=50&cursor=${first.nextCursor}`, as, Math.ceil(calls / 4));
      const p99 = percentile(samples, 99);
      rows.push({
        section: 'Read models',
        what: `${what} (${formatNumber(tasks)} open tasks, ${formatNumber(timers)} timers), first page, ms`,
        ours: `p50 ${formatNumber(percentile(samples, 50), 1)}, p99 ${formatNumber(p99, 1)}; by cursor p50 ${formatNumber(percentile(next, 50), 1)}, p99 ${formatNumber(percentile(next, 99), 1)}`,
        peer: 'before: /deadlines p50 690, p99 750; /tasks p50 534 (supervisor)',
        target: 'p99 ≤ 20',
        met: p99 <= 20 && percentile(next, 99) <= 20,
        why:
          as === MEMBER
            ? 'a member sees the tasks whose candidate groups (a JSON array) hold one of theirs: no index hands those over in due order, so the page walks the due-order ' +
              'index and filters (about twenty rows read per row shown, for a group holding a twentieth of the tasks), and the capped count reads until it has 1,001 ' +
              '(about 20,000 tasks, or 60,000 timers: 5–11 ms, see the plans). Closing it needs visibility as rows of its own (person or group, due instant, id) read as one ' +
              'index range per principal; the permission issue (organisation scope) reshapes who sees what and is where that table belongs.'
            : 'the statements take under a millisecond (see the plans); the rest of the p50 is the HTTP stack, three round trips to Postgres (page, capped count and ' +
              'estimate, in parallel) and the answer of 50 rows, and the tail past 20 ms is a few samples in a hundred: garbage collection and Postgres sharing the two cores.',
      });
    }
    const now = new Date();
    const taskFilter = { state: 'open' as const, sort: 'dueDate' as const, order: 'asc' as const, limit: 50, offset: 0 };
    const deadlineFilter = { now, limit: 50, offset: 0 };
    const plans: string[] = [`Seeded in ${seedSeconds.toFixed(0)} s.`];
    for (const [who, as] of [
      ['supervisor', SUPERVISOR],
      ['member', MEMBER],
    ] as const) {
      const [page, count] = await bench.app.get(TaskRepository).explainList(taskFilter, as, now);
      plans.push(`GET /tasks (${who}), page:\n${page}`, `GET /tasks (${who}), capped count:\n${count}`);
      const [taskPage, timerPage, taskCount, timerCount] = await bench.app.get(DeadlineRepository).explainList(deadlineFilter, as);
      plans.push(
        `GET /deadlines (${who}), tasks:\n${taskPage}`,
        `GET /deadlines (${who}), timers:\n${timerPage}`,
        `GET /deadlines (${who}), capped count of tasks:\n${taskCount}`,
        `GET /deadlines (${who}), capped count of timers:\n${timerCount}`,
      );
    }
    return { rows, plans: plans.join('\n\n') };
  } finally {
    await bench?.close();
    await database.drop();
  }
}
