import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from './temporal-cli';
// A relative import: Jest's global setup loads this file without the path aliases.
import { PROCESS_SEARCH_ATTRIBUTES } from '../libs/contracts/src/search-attributes';

/** Options of a local Temporal dev server. */
export interface DevServerOptions {
  namespace: string;
  /** Fixed port, or a free one when omitted. */
  port?: number;
  /** Serve Temporal UI on this port; headless when omitted. */
  uiPort?: number;
  /** Extra `--dynamic-config-value KEY=VALUE` settings (e.g. a lower continue-as-new suggestion for tests). */
  dynamicConfig?: string[];
  /** Persist to this SQLite file; in memory when omitted. */
  dbFilename?: string;
  /** How long to wait for the server to serve the namespace. */
  readyTimeoutMs?: number;
  log: (line: string) => void;
}

/** A running dev server and how to stop it. */
export interface RunningDevServer {
  address: string;
  uiUrl: string | undefined;
  /** The executable it runs from, or "SDK download". */
  executable: string;
  stop(): Promise<void>;
}

const IP = '127.0.0.1';

/** Server settings the SDK's own dev-server launcher also passes; updates back human-task completion. */
const DYNAMIC_CONFIG = [
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  'frontend.enableServerVersionCheck=false',
];

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, IP, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once the frontend at `address` answers for `namespace`; rejects after `timeoutMs`, or at once when `abort` rejects. */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs: number,
  abort?: Promise<never>,
): Promise<void> {
  let aborted: { reason: unknown } | undefined;
  abort?.catch((reason: unknown) => {
    aborted = { reason };
  });
  // Read through a function: the flag changes in a callback, which TypeScript's narrowing cannot see.
  const abortedWith = (): { reason: unknown } | undefined => aborted;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const early = abortedWith();
    if (early) throw early.reason;
    let connection: Connection | undefined;
    try {
      const attempt = (async () => {
        connection = await Connection.connect({ address, connectTimeout: 2_000 });
        const connected = connection;
        await connected.withDeadline(Date.now() + 2_000, () => connected.workflowService.describeNamespace({ namespace }));
      })();
      // An attempt abandoned by `abort` may still settle later; it must not become an unhandled rejection.
      attempt.catch(() => undefined);
      await (abort ? Promise.race([attempt, abort]) : attempt);
      return;
    } catch (error) {
      const stopped = abortedWith();
      if (stopped) throw stopped.reason;
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new Error(
    `Temporal at ${address} did not serve namespace "${namespace}" within ${Math.round(timeoutMs / 1000)} s: ` +
      (lastError instanceof Error ? lastError.message : String(lastError)),
  );
}

function cliArgs(options: DevServerOptions, port: number): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    IP,
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-format',
    'pretty',
    '--log-level',
    'error',
    ...[...DYNAMIC_CONFIG, ...(options.dynamicConfig ?? [])].flatMap((value) => ['--dynamic-config-value', value]),
    // Temporal UI filters instances by these; workers also register them on clusters that lack them.
    ...Object.entries(PROCESS_SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function spawnCli(executable: string, options: DevServerOptions): Promise<RunningDevServer> {
  const port = options.port ?? (await freePort());
  const address = `${IP}:${port}`;
  // Its own process group, so a terminal's Ctrl-C reaches us first and we stop it in order.
  const child = spawn(executable, cliArgs(options, port), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exitedEarly = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not run ${executable}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`the dev server exited (${signal ?? `code ${String(code)}`}) before it was ready: ${stderr.trim() || 'no output'}`)),
    );
  });
  exitedEarly.catch(() => undefined);

  try {
    await waitForTemporal(address, options.namespace, options.readyTimeoutMs ?? 60_000, exitedEarly);
  } catch (error) {
    await stopChild(child);
    process.off('exit', killOnExit);
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${IP}:${options.uiPort}`,
    executable,
    stop: async () => {
      await stopChild(child);
      process.off('exit', killOnExit);
    },
  };
}

async function startWithSdkDownload(options: DevServerOptions): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      namespace: options.namespace,
      ip: IP,
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      log: { format: 'pretty', level: 'error' },
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort === undefined ? undefined : `http://${IP}:${options.uiPort}`,
    executable: 'SDK download',
    stop: () => env.teardown(),
  };
}

/**
 * Starts the Temporal dev server from the CLI that `scripts/temporal-cli.js` provisions
 * (or, when there is none, the SDK's own download) and waits until it serves the namespace.
 * The child dies with this process even when it exits abruptly.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const cli = resolveTemporalCli({ log: options.log });
  if (options.dbFilename) fs.mkdirSync(path.dirname(options.dbFilename), { recursive: true });
  try {
    return cli.path ? await spawnCli(cli.path, options) : await startWithSdkDownload(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = options.port === undefined ? '' : ` on ${IP}:${options.port}`;
    throw new Error(
      `The Temporal dev server could not start${where}: ${reason}\n` +
        'If the port is taken, set TEMPORAL_DEV_PORT (and TEMPORAL_DEV_UI_PORT), or point TEMPORAL_ADDRESS at a running server.',
    );
  }
}
