import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProjectRoot, resolveTemporalCli, TemporalCliError } from './temporal-cli';

function fakeExecutable(dir: string, name = 'temporal'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

describe('resolveTemporalCli', () => {
  let root: string;
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'xuncha-cli-'));
    lines.length = 0;
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prefers TEMPORAL_CLI_PATH over PATH and the local build', () => {
    const fromEnv = fakeExecutable(path.join(root, 'custom'));
    const onPath = fakeExecutable(path.join(root, 'bin'));
    fakeExecutable(path.join(root, '.temporal', 'bin'));
    const resolved = resolveTemporalCli({ projectRoot: root, env: { TEMPORAL_CLI_PATH: fromEnv, PATH: path.dirname(onPath) }, log });
    expect(resolved).toEqual({ path: fromEnv, source: 'env' });
    expect(lines.join('\n')).toContain('from TEMPORAL_CLI_PATH');
  });

  it('refuses a TEMPORAL_CLI_PATH that is not an executable, naming the variable', () => {
    const notExecutable = path.join(root, 'temporal.txt');
    fs.writeFileSync(notExecutable, 'x', { mode: 0o644 });
    expect(() => resolveTemporalCli({ projectRoot: root, env: { TEMPORAL_CLI_PATH: notExecutable }, log })).toThrow(TemporalCliError);
    expect(() => resolveTemporalCli({ projectRoot: root, env: { TEMPORAL_CLI_PATH: notExecutable }, log })).toThrow(
      /TEMPORAL_CLI_PATH is set to ".*temporal\.txt", which is not an executable file/,
    );
  });

  it('uses `temporal` on PATH before the local build', () => {
    const onPath = fakeExecutable(path.join(root, 'bin'));
    fakeExecutable(path.join(root, '.temporal', 'bin'));
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: `/nonexistent:${path.dirname(onPath)}` }, log })).toEqual({
      path: onPath,
      source: 'path',
    });
  });

  it('uses .temporal/bin/temporal when nothing else is there', () => {
    const local = fakeExecutable(path.join(root, '.temporal', 'bin'));
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: '' }, log })).toEqual({ path: local, source: 'local' });
  });

  it('builds with `go install` into .temporal/bin when Go is on PATH', () => {
    // A stand-in `go` that "installs" by writing an executable into $GOBIN, recording its arguments.
    const goDir = path.join(root, 'go-bin');
    fs.mkdirSync(goDir);
    fs.writeFileSync(
      path.join(goDir, 'go'),
      '#!/bin/sh\necho "$@" > "$GOBIN/../go-args"\necho "#!/bin/sh" > "$GOBIN/temporal"\n/bin/chmod +x "$GOBIN/temporal"\n',
      { mode: 0o755 },
    );
    const resolved = resolveTemporalCli({ projectRoot: root, env: { PATH: goDir }, log });
    expect(resolved).toEqual({ path: path.join(root, '.temporal', 'bin', 'temporal'), source: 'built' });
    expect(fs.readFileSync(path.join(root, '.temporal', 'go-args'), 'utf8').trim()).toBe(
      'install github.com/temporalio/cli/cmd/temporal@v1.5.1',
    );
    expect(lines.join('\n')).toMatch(/building .* into .*\.temporal\/bin/);
  });

  it('fails clearly when `go install` fails', () => {
    const goDir = path.join(root, 'go-bin');
    fs.mkdirSync(goDir);
    fs.writeFileSync(path.join(goDir, 'go'), '#!/bin/sh\nexit 2\n', { mode: 0o755 });
    expect(() => resolveTemporalCli({ projectRoot: root, env: { PATH: goDir }, log })).toThrow(/failed \(exit 2\).*TEMPORAL_CLI_PATH/);
  });

  it('leaves it to the SDK download when there is neither a CLI nor Go', () => {
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: '' }, log })).toEqual({ path: null, source: 'sdk-download' });
    expect(lines.join('\n')).toContain('SDK will download');
  });

  it('does not build when asked not to', () => {
    const goDir = path.join(root, 'go-bin');
    fakeExecutable(goDir, 'go');
    expect(resolveTemporalCli({ projectRoot: root, env: { PATH: goDir }, build: false, log }).source).toBe('sdk-download');
  });
});

describe('findProjectRoot', () => {
  it('finds the directory holding package.json, also from a compiled location below it', () => {
    const repo = path.resolve(__dirname, '..');
    expect(findProjectRoot(__dirname)).toBe(repo);
    expect(findProjectRoot(path.join(repo, 'dist', 'scripts'))).toBe(repo);
  });
});
