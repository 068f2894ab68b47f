// CPU time spent by the processes of a benchmark, read from /proc: this process (API, engine
// worker, peer worker), the Temporal server and Postgres. Linux only; elsewhere nothing is counted.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuGroup = 'node' | 'temporal' | 'postgres';
export type CpuSample = Record<CpuGroup, number>;

/** CPU milliseconds each process of a group has used so far, by pid. */
export type CpuSnapshot = Map<number, { group: CpuGroup; ms: number }>;

const TICKS_PER_SECOND = 100;

function groupOf(comm: string, pid: number): CpuGroup | null {
  if (pid === process.pid) return 'node';
  if (comm === 'temporal') return 'temporal';
  if (comm.startsWith('postgres') || comm.startsWith('postmaster')) return 'postgres';
  return null;
}

/** CPU milliseconds (user + system) of every process of the groups, now. */
export function cpuNow(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
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
    // utime and stime are fields 14 and 15 of stat; counted from the state field (field 3) they are 11 and 12.
    const ticks = Number(fields[11]) + Number(fields[12]);
    snapshot.set(Number(pid), { group, ms: (ticks * 1000) / TICKS_PER_SECOND });
  }
  return snapshot;
}

/**
 * What each group used since `before`: per process, what it used since then, or all it used if it
 * started since. A process that ended meanwhile is not counted (Postgres backends live as long as
 * the pool's connections), so a figure may be a little low, never negative.
 */
export function cpuSince(before: CpuSnapshot): CpuSample {
  const used: CpuSample = { node: 0, temporal: 0, postgres: 0 };
  for (const [pid, now] of cpuNow()) used[now.group] += now.ms - (before.get(pid)?.ms ?? 0);
  return used;
}

export function addCpu(total: CpuSample, more: CpuSample): void {
  total.node += more.node;
  total.temporal += more.temporal;
  total.postgres += more.postgres;
}
