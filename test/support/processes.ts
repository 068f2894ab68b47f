import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** A compiled entry point; the e2e tier runs the same files a user runs, so they must be built. */
export function compiled(relative: string): string {
  const file = path.join(ROOT, 'dist', relative);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
  return file;
}

/** A child process with its output captured. */
export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Variables that would point a child at the developer's own services; children get only what a test passes. */
const INHERITED_OVERRIDES = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'PORT', 'DATA_DIR', 'NODE_ENV'];

/** Starts `node <script>` with the given variables on top of a cleaned environment. */
export function startNode(script: string, env: Record<string, string>, args: string[] = []): RunningProcess {
  const base = { ...process.env };
  for (const name of INHERITED_OVERRIDES) delete base[name];
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => output, exited };
}

/** Waits for a process to end, failing with its output after `timeoutMs`. */
export async function waitForExit(process: RunningProcess, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms; output:\n${process.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([process.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a process that a failed test left running. */
export function killIfRunning(process: RunningProcess | undefined): void {
  if (process && process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
