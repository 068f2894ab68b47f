// The clue ledger at 300,000 clues: GET /clues through the real API for a supervisor (keeps the
// ledger: every line not restricted) and for an officer outside the keeping bodies (only the
// clues of their circle), with the plans Postgres runs.
import type { Principal } from '@xuncha/contracts';
import { ClueRepository } from '@xuncha/persistence';
import type { BenchApp, BenchDatabase } from './environment';
import { createBenchDatabase, startBenchApp } from './environment';
import type { Row } from './harness';
import { formatNumber, percentile } from './harness';
import type { ReadModelResult } from './read-models';
import { latencies } from './read-models';

const SUPERVISOR: Principal = { sub: 'bench.supervisor', name: '督查员', groups: ['supervisor'] };
/** Registered one clue in 200, owns one in 300, holds a few grants. */
const OFFICER: Principal = { sub: 'user-7', name: '承办人', groups: ['commission-room-3'] };

/** 50 inspected units and 5 commission offices, 10 rounds of 5 units, the clues spread over seven years, a fiftieth restricted, 10,000 grants. */
async function seed(database: BenchDatabase, clues: number): Promise<void> {
  await database.query(`
    INSERT INTO org_unit (id, name, kind)
    SELECT 'bench-unit-' || g, '单位' || g, 'inspected-unit' FROM generate_series(1, 50) g
    UNION ALL SELECT 'bench-office-' || g, '监督检查室' || g, 'commission' FROM generate_series(1, 5) g`);
  await database.query(`
    INSERT INTO inspection_round (id, name, kind, period_start, period_end, created_by)
    SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, '第' || g || '轮巡察', 'regular', date '2020-01-01' + g * 200, date '2020-01-01' + g * 200 + 90, 'bench'
    FROM generate_series(1, 10) g`);
  await database.query(`
    INSERT INTO inspection_round_unit (round_id, unit_id, position)
    SELECT ('00000000-0000-4000-8000-' || lpad(((g - 1) / 5 + 1)::text, 12, '0'))::uuid, 'bench-unit-' || g, (g - 1) % 5 FROM generate_series(1, 50) g`);
  await database.query(`
    INSERT INTO clue (id, number, year, seq, round_id, unit_id, office_id, category, received_on, restricted, status, owner, registered_by)
    SELECT gen_random_uuid(), '巡移〔' || (2020 + g % 7) || '〕' || g || '号', 2020 + g % 7, g,
      ('00000000-0000-4000-8000-' || lpad((g % 10 + 1)::text, 12, '0'))::uuid, 'bench-unit-' || ((g % 10) * 5 + g % 5 + 1), 'bench-office-' || (g % 5 + 1),
      'discipline', date '2020-01-01' + (g % 2500), g % 50 = 0, 'registered',
      CASE WHEN g % 5 = 0 THEN NULL ELSE 'owner-' || (g % 300) END, 'user-' || (g % 200)
    FROM generate_series(1, ${clues}) g`);
  await database.query(`
    INSERT INTO clue_grant (clue_id, grantee, reason, granted_by)
    SELECT id, 'user-' || (seq % 200), '协助核实', 'bench' FROM clue WHERE seq % 30 = 0 LIMIT 10000`);
  await database.query('VACUUM ANALYZE clue');
  await database.query('VACUUM ANALYZE clue_grant');
}

export async function ledgerRows(clues: number, calls: number): Promise<ReadModelResult> {
  const database = await createBenchDatabase();
  let bench: BenchApp | undefined;
  try {
    bench = await startBenchApp(database, false);
    const seeded = performance.now();
    await seed(database, clues);
    const seedSeconds = (performance.now() - seeded) / 1000;
    const rows: Row[] = [];
    for (const [what, as] of [
      ['GET /clues, supervisor (every line not restricted)', SUPERVISOR],
      ['GET /clues, officer outside the keeping bodies (the clues of their circle)', OFFICER],
    ] as const) {
      const first = await latencies(bench, '/clues?pageSize=50', as, calls);
      const filtered = await latencies(bench, '/clues?pageSize=50&unit=bench-unit-38', as, Math.ceil(calls / 4));
      const p99 = Math.max(percentile(first, 99), percentile(filtered, 99));
      rows.push({
        section: 'Ledger',
        what: `${what} (${formatNumber(clues)} clues), first page of 50, ms`,
        ours: `p50 ${formatNumber(percentile(first, 50), 1)}, p99 ${formatNumber(percentile(first, 99), 1)}; one unit's p50 ${formatNumber(percentile(filtered, 50), 1)}, p99 ${formatNumber(percentile(filtered, 99), 1)}`,
        peer: '—',
        target: 'p99 ≤ 20',
        met: p99 <= 20,
        why:
          as === SUPERVISOR
            ? 'the statements take under 3 ms (see the plans); the rest of the p50 is the HTTP stack, the round trips to Postgres (page, capped count and estimate) and the answer of 50 lines, and the tail past 20 ms is a few samples in a hundred on a machine whose two cores Postgres shares.'
            : 'the page reads about as many rows as it shows (under 1 ms: the first 50 of each part of the circle, from indexes in date order), while the capped count reads the whole circle ' +
              '(about 1,500 clues for this officer, 5 ms; see the plans); with the HTTP stack and the round trips the p50 is about 12 ms, and the tail past 20 ms is a few samples in a hundred ' +
              'on a machine whose two cores Postgres shares. Counting the circle once per person and keeping the count with it would take the 5 ms off.',
      });
    }
    const plans: string[] = [`Seeded in ${seedSeconds.toFixed(0)} s.`];
    for (const [who, as] of [
      ['supervisor', SUPERVISOR],
      ['officer', OFFICER],
    ] as const) {
      const [page, count] = await bench.app
        .get(ClueRepository)
        .explainLedger({ limit: 50, offset: 0 }, { sub: as.sub, keepsLedger: as.groups.includes('supervisor') });
      plans.push(`GET /clues (${who}), page:\n${page}`, `GET /clues (${who}), capped count:\n${count}`);
    }
    return { rows, plans: plans.join('\n\n') };
  } finally {
    await bench?.close();
    await database.drop();
  }
}
