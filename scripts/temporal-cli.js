#!/usr/bin/env node
// @ts-check
// Finds (or builds) the `temporal` CLI, which contains the Temporal dev server.
// Plain CommonJS with no dependencies so CI can run it before `npm ci`.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** The CLI release built from source when no executable is found; later tags carry a `replace` directive that `go install` refuses. */
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Raised when the CLI cannot be provided; the message says what to do. */
class TemporalCliError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'TemporalCliError';
  }
}

/**
 * @typedef {object} ResolveOptions
 * @property {string} [projectRoot] directory holding `.temporal/bin`
 * @property {NodeJS.ProcessEnv} [env] environment to read TEMPORAL_CLI_PATH and PATH from
 * @property {boolean} [build] build with `go install` when nothing is found (default true)
 * @property {(line: string) => void} [log] progress output
 */

/**
 * @typedef {object} ResolvedCli
 * @property {string | null} path absolute path of the executable, or null to let the SDK download one
 * @property {'env' | 'path' | 'local' | 'built' | 'sdk-download'} source how it was found
 */

/** The nearest directory at or above `start` that holds package.json (the repository, also when running from dist/). */
function findProjectRoot(start = __dirname) {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..');
    dir = parent;
  }
}

/** @param {string} file */
function isExecutable(file) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {string} name
 * @param {string | undefined} searchPath
 */
function findOnPath(name, searchPath) {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * Resolves the CLI in this order: $TEMPORAL_CLI_PATH, `temporal` on PATH, `.temporal/bin/temporal`,
 * a fresh `go install` into `.temporal/bin`, and finally null (the SDK downloads its own dev server).
 * @param {ResolveOptions} [options]
 * @returns {ResolvedCli}
 */
function resolveTemporalCli(options = {}) {
  const env = options.env ?? process.env;
  const projectRoot = options.projectRoot ?? findProjectRoot();
  const log = options.log ?? (() => undefined);
  const build = options.build ?? true;

  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    const absolute = path.resolve(fromEnv);
    if (!isExecutable(absolute)) {
      throw new TemporalCliError(
        `TEMPORAL_CLI_PATH is set to "${fromEnv}", which is not an executable file. ` +
          'Point it at a `temporal` CLI binary or unset it.',
      );
    }
    log(`Temporal CLI: ${absolute} (from TEMPORAL_CLI_PATH)`);
    return { path: absolute, source: 'env' };
  }

  const onPath = findOnPath('temporal', env.PATH);
  if (onPath) {
    log(`Temporal CLI: ${onPath} (found on PATH)`);
    return { path: onPath, source: 'path' };
  }

  const binDir = path.join(projectRoot, '.temporal', 'bin');
  const local = path.join(binDir, 'temporal');
  if (isExecutable(local)) {
    log(`Temporal CLI: ${local} (already built)`);
    return { path: local, source: 'local' };
  }

  const go = build ? findOnPath('go', env.PATH) : null;
  if (go) {
    log(`Temporal CLI: building ${TEMPORAL_CLI_MODULE} into ${binDir} with ${go} (first run only; takes a few minutes)…`);
    fs.mkdirSync(binDir, { recursive: true });
    const started = Date.now();
    const result = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...env, GOBIN: binDir },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.error) {
      throw new TemporalCliError(`Could not run "${go} install": ${result.error.message}`);
    }
    if (result.status !== 0 || !isExecutable(local)) {
      throw new TemporalCliError(
        `"go install ${TEMPORAL_CLI_MODULE}" failed (exit ${String(result.status)}). ` +
          'Check the Go module proxy (GOPROXY) is reachable, or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH.',
      );
    }
    log(`Temporal CLI: built ${local} in ${Math.round((Date.now() - started) / 1000)} s`);
    return { path: local, source: 'built' };
  }

  log(
    'Temporal CLI: none found (TEMPORAL_CLI_PATH, PATH, .temporal/bin) and no Go toolchain to build it; ' +
      'the Temporal SDK will download its dev server (needs internet).',
  );
  return { path: null, source: 'sdk-download' };
}

module.exports = { resolveTemporalCli, findProjectRoot, TemporalCliError, TEMPORAL_CLI_MODULE };

if (require.main === module) {
  try {
    const resolved = resolveTemporalCli({ log: (line) => console.log(line) });
    if (resolved.path) console.log(resolved.path);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
