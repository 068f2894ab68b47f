import type { DataSource } from 'typeorm';

/**
 * The number of rows a SELECT answers, counted exactly up to `limit` (reading no further);
 * beyond it, the planner's estimate, marked not exact. Lists over read models that hold a
 * million rows answer a total without counting them all on every call.
 */
export async function cappedCount(dataSource: DataSource, sql: string, params: unknown[], limit: number): Promise<{ total: number; exact: boolean }> {
  // Both at once (each a round trip of its own): the estimate is only read when the count reaches the cap.
  const [counted, explained] = await Promise.all([
    dataSource.query(`SELECT count(*) AS n FROM (${sql} LIMIT ${Number(limit) + 1}) c`, params) as Promise<Array<{ n: string | number }>>,
    dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params) as Promise<Array<{ 'QUERY PLAN': unknown }>>,
  ]);
  const exact = Number(counted[0]?.n ?? 0);
  if (exact <= limit) return { total: exact, exact: true };
  const raw = explained[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
  return { total: Math.max(Math.round(plan?.[0]?.Plan?.['Plan Rows'] ?? 0), exact), exact: false };
}

/** The plan of a statement as Postgres runs it (EXPLAIN ANALYZE, text), for benchmarks and diagnosis. */
export async function explain(dataSource: DataSource, sql: string, params: unknown[]): Promise<string> {
  const rows: Array<{ 'QUERY PLAN': string }> = await dataSource.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
