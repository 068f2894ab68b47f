import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '@xuncha/config';
import { encryptedDataConverter } from '@xuncha/runtime';
import { bundlerOptions, WORKFLOWS_PATH } from '../apps/worker/src/workflow-bundle';
import { HISTORIES_ROOT, recordedHistories } from './support/histories';
import { compiled, startNode, waitForExit } from './support/processes';

/**
 * Instances outlive releases: every history recorded by any earlier release (and by this one)
 * replays deterministically on the current workflow code. A change that alters what the
 * workflow commands must sit behind patched(); a history is never re-recorded to pass.
 */
describe('recorded histories of every release', () => {
  const histories = recordedHistories();

  it('has the histories of the first release and of this one', () => {
    const folders = new Set(histories.map((history) => history.folder));
    expect(folders.has('process')).toBe(true);
    expect(histories.filter((history) => history.folder === '0.2.0').map((history) => history.name)).toEqual([
      'buffered-message',
      'calendar-change',
      'child-error-caught-by-parent',
      'child-error-thrown-to-parent',
      'child-incident-in-child',
      'child-incident-reported-to-parent',
      'continue-as-new-first-run',
      'continue-as-new-last-run',
      'task-hand-over',
    ]);
    expect(histories.filter((history) => history.folder === '0.3.0').map((history) => history.name)).toEqual([
      'batched-writes-continue-as-new-first-run',
      'batched-writes-service-and-user-task',
      'batched-writes-update-refused-then-accepted',
    ]);
    expect(histories.filter((history) => history.folder === '0.4.0').map((history) => history.name)).toEqual([
      'carried-writes-bpmn-error-boundary',
      'carried-writes-continue-as-new-first-run',
      'carried-writes-continue-as-new-last-run',
      'carried-writes-incident-then-retry',
      'carried-writes-service-and-user-task',
      'carried-writes-update-refused-then-accepted',
      'child-inherits-unit-child',
      'child-inherits-unit',
    ]);
    expect(histories.filter((history) => history.folder === 'process').map((history) => history.name)).toEqual([
      'bpmn-error-boundary',
      'call-activity-child',
      'cancel',
      'incident-then-retry',
      'message-correlation',
      'service-and-user-task',
      'timer',
      'update-refused-then-accepted',
    ]);
  });

  it('replays every one of them with the current workflow code', async () => {
    const failures: string[] = [];
    const inputs = histories.map((history) => ({
      workflowId: history.workflowId,
      history: historyFromJSON(JSON.parse(fs.readFileSync(history.file, 'utf8'))),
    }));
    const folderOf = new Map(histories.map((history) => [history.workflowId, `${history.folder}/${history.name}`]));
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: bundlerOptions(), dataConverter: encryptedDataConverter(loadConfig({}).payload) }, inputs)) {
      replayed++;
      if (result.error) failures.push(`${folderOf.get(result.workflowId) ?? result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });

  it('lets an operator replay exported histories against a release before rolling it out (npm run replay)', async () => {
    const folder = path.join(HISTORIES_ROOT, 'process');
    const files = fs.readdirSync(folder).map((file) => path.join(folder, file));
    const good = startNode(compiled('scripts/replay-histories.js'), {}, files);
    expect(await waitForExit(good, 120_000)).toBe(0);
    expect(good.output()).toContain('8 of 8 histories replay on this release');

    // A history whose first activity is not what this code schedules there: the release would break that instance.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    try {
      const tampered = path.join(dir, 'timer.json');
      fs.writeFileSync(tampered, fs.readFileSync(path.join(folder, 'timer.json'), 'utf8').replace('"name": "recordInstance"', '"name": "somethingElse"'));
      const bad = startNode(compiled('scripts/replay-histories.js'), {}, [tampered]);
      expect(await waitForExit(bad, 120_000)).toBe(1);
      expect(bad.output()).toContain(`✗ ${tampered}`);
      expect(bad.output()).toContain('0 of 1 histories replay on this release');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
