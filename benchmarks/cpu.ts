// CPU time spent by the processes of a benchmark, read from /proc: this process (API, engine
// worker, peer worker), the Temporal server and Postgres. Linux only; elsewhere nothing is counted.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuGroup = 'node' | 'temporal' | 'postgres';
export type CpuSample = Record<CpuGroup, number>;

const TICKS_PER_SECOND = 100;

function groupOf(comm: string, pid: number): CpuGroup | null {
  if (pid === process.pid) return 'node';
  if (comm === 'temporal') return 'temporal';
  if (comm.startsWith('postgres') || comm.startsWith('postmaster')) return 'postgres';
  return null;
}

/** CPU milliseconds (user + system) each group has used so far. */
export function cpuNow(): CpuSample {
  const sample: CpuSample = { node: 0, temporal: 0, postgres: 0 };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return sample;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state … : comm may hold spaces, so split after the last parenthesis.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const group = groupOf(stat.slice(open + 1, close), Number(pid));
    if (!group) continue;
    const fields = stat.slice(close + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from the state field as index 0 = field 3.
    const ticks = Number(fields[11]) + Number(fields[12]);
    sample[group] += (ticks * 1000) / TICKS_PER_SECOND;
  }
  return sample;
}

/** What each group used between two samples. */
export function cpuSince(before: CpuSample): CpuSample {
  const after = cpuNow();
  return { node: after.node - before.node, temporal: after.temporal - before.temporal, postgres: after.postgres - before.postgres };
}

export function addCpu(total: CpuSample, more: CpuSample): void {
  total.node += more.node;
  total.temporal += more.temporal;
  total.postgres += more.postgres;
}
