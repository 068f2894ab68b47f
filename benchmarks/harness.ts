// A small benchmark harness: paired A/B rounds run alternately (so drift of the machine hits
// both sides alike), medians and spreads, and the machine the figures were taken on.
import os from 'node:os';

/** One measured figure: its samples, in the unit they were taken in. */
export interface Series {
  samples: number[];
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Half the distance between the 25th and 75th percentiles, as a share of the median. */
  spread: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    spread: median === 0 ? 0 : (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2 / median,
  };
}

/** The p-th percentile (0–100) of samples. */
export function percentile(samples: number[], p: number): number {
  return quantile([...samples].sort((a, b) => a - b), p / 100);
}

/**
 * Runs `a` and `b` alternately, `rounds` times each (which goes first alternates too), and
 * answers each side's samples and the per-round ratios a/b.
 */
export async function paired(rounds: number, a: () => Promise<number> | number, b: () => Promise<number> | number): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  const result = { a: [] as number[], b: [] as number[], ratios: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    let x: number;
    let y: number;
    if (round % 2 === 0) {
      x = await a();
      y = await b();
    } else {
      y = await b();
      x = await a();
    }
    result.a.push(x);
    result.b.push(y);
    result.ratios.push(x / y);
  }
  return result;
}

/** Repeats `run` until `minMs` have passed (at least once) and answers the rate of `units` per second. */
export function ratePerSecond(run: () => number, minMs: number): number {
  const started = performance.now();
  let units = 0;
  do units += run();
  while (performance.now() - started < minMs);
  return (units * 1000) / (performance.now() - started);
}

export async function ratePerSecondAsync(run: () => Promise<number>, minMs: number): Promise<number> {
  const started = performance.now();
  let units = 0;
  do units += await run();
  while (performance.now() - started < minMs);
  return (units * 1000) / (performance.now() - started);
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatSummary(summary: Summary, digits = 0, unit = ''): string {
  return `${formatNumber(summary.median, digits)}${unit} (±${formatNumber(summary.spread * 100, 0)} %, ${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)})`;
}

/** One row of the report: what, our figure, the peer's or the limit, and a verdict against the target if there is one. */
export interface Row {
  section: string;
  what: string;
  ours: string;
  peer: string;
  target: string;
  met: boolean | null;
  /** Why a target is missed, and what would close the gap: printed under the table when it is. */
  why?: string;
}
