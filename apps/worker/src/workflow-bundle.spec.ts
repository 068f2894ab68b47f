import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { workflowSource, WORKFLOWS_PATH, workspaceAliases } from './workflow-bundle';

describe('workflow bundle source', () => {
  it('maps every @xuncha path of tsconfig.json to its directory for webpack', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const aliases = workspaceAliases(root);
    expect(aliases['@xuncha/contracts']).toBe(path.join(root, 'libs/contracts/src'));
    expect(Object.keys(aliases)).toEqual(expect.arrayContaining(['@xuncha/config', '@xuncha/persistence']));
  });

  it('has no aliases where there is no tsconfig.json (compiled output)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bundle-'));
    expect(workspaceAliases(dir)).toEqual({});
    fs.rmSync(dir, { recursive: true });
  });

  it('bundles workflows/ at start unless a pre-built bundle is configured', () => {
    expect(WORKFLOWS_PATH).toMatch(/workflows[/\\]index\.ts$/);
    expect(workflowSource(undefined)).toMatchObject({ workflowsPath: WORKFLOWS_PATH });
    const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-bundle-')), 'bundle.js');
    fs.writeFileSync(bundle, '');
    expect(workflowSource(bundle)).toEqual({ workflowBundle: { codePath: bundle } });
  });

  it('refuses a configured bundle that does not exist, naming the variable', () => {
    expect(() => workflowSource('/nonexistent/bundle.js')).toThrow(/WORKFLOW_BUNDLE_PATH points to \/nonexistent\/bundle\.js/);
  });
});
