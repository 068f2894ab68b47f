import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';

type WorkflowSource = Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle' | 'bundlerOptions'>;
type WebpackConfig = Parameters<NonNullable<NonNullable<BundleOptions['webpackConfigHook']>>>[0];

/** Directory holding `workflows/`: the repository root in source mode, `dist/` when compiled. */
const CODE_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The workflows entry module, `.ts` under ts-jest or `.js` once compiled. */
export const WORKFLOWS_PATH = require.resolve(path.join(CODE_ROOT, 'workflows'));

/**
 * Webpack aliases for the `@xuncha/*` paths in tsconfig.json, needed only when bundling
 * TypeScript sources (compiled output has them rewritten to relative paths by tsc-alias).
 */
export function workspaceAliases(root: string = CODE_ROOT): Record<string, string> {
  const tsconfigPath = path.join(root, 'tsconfig.json');
  if (!fs.existsSync(tsconfigPath)) return {};
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const aliases: Record<string, string> = {};
  for (const [name, targets] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    const target = targets[0];
    if (target && !name.includes('*')) aliases[name] = path.join(root, target);
  }
  return aliases;
}

/** Bundler options shared by the worker and the production bundle script. */
export function bundlerOptions(): NonNullable<WorkerOptions['bundlerOptions']> {
  return {
    webpackConfigHook: (config: WebpackConfig) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = { ...(config.resolve.alias as Record<string, string> | undefined), ...workspaceAliases() };
      return config;
    },
  };
}

/** A pre-built bundle when one is configured (production), else bundle `workflows/` at start. */
export function workflowSource(bundlePath: string | undefined): WorkflowSource {
  if (bundlePath) {
    if (!fs.existsSync(bundlePath)) {
      throw new Error(`WORKFLOW_BUNDLE_PATH points to ${bundlePath}, which does not exist; run "npm run build:workflows"`);
    }
    return { workflowBundle: { codePath: bundlePath } };
  }
  return { workflowsPath: WORKFLOWS_PATH, bundlerOptions: bundlerOptions() };
}
