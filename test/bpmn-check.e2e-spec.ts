import * as path from 'node:path';
import { compiled, ROOT, startNode, waitForExit } from './support/processes';

const fixture = (relative: string): string => path.join(ROOT, 'test/fixtures/bpmn', relative);

describe('npm run bpmn:check', () => {
  it('prints "ok" with the process for a valid Camunda Modeler file and exits 0', async () => {
    const run = startNode(compiled('scripts/bpmn-check.js'), {}, [fixture('modeler/clue-feedback.bpmn')]);
    expect(await waitForExit(run, 30_000)).toBe(0);
    expect(run.output()).toMatch(/clue-feedback\.bpmn {2}ok {2}process "clue-feedback", 9 flow nodes/);
    expect(run.output()).toContain('1 file(s): 0 error(s), 0 warning(s)');
  });

  it('prints every finding with file, line, rule and element, and exits 1 on errors', async () => {
    const run = startNode(compiled('scripts/bpmn-check.js'), {}, [
      fixture('rules/timer-definition/invalid-cycle.bpmn'),
      fixture('rules/no-duplicate-ids/invalid-duplicate-task.bpmn'),
      fixture('broken/binary.bpmn'),
    ]);
    expect(await waitForExit(run, 30_000)).toBe(1);
    const output = run.output();
    expect(output).toMatch(/invalid-cycle\.bpmn:13 {2}error {2}timer-definition {2}Boundary_timer {2}"every month" is not a valid timeCycle/);
    expect(output).toMatch(/invalid-duplicate-task\.bpmn:19 {2}error {2}no-duplicate-ids {2}Task_a/);
    expect(output).toMatch(/binary\.bpmn {2}error {2}input {2}- {2}The upload is not a BPMN XML document/);
    expect(output).toContain('3 file(s): 3 error(s), 0 warning(s)');
  });

  it('exits 2 naming a file it cannot read', async () => {
    const run = startNode(compiled('scripts/bpmn-check.js'), {}, [fixture('no-such-file.bpmn')]);
    expect(await waitForExit(run, 30_000)).toBe(2);
    expect(run.output()).toMatch(/no-such-file\.bpmn {2}error {2}read .*ENOENT/);
  });
});
