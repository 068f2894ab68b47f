import * as fs from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { bundlerOptions, WORKFLOWS_PATH } from '../apps/worker/src/workflow-bundle';
import { recordedHistories } from './support/histories';

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
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: bundlerOptions() }, inputs)) {
      replayed++;
      if (result.error) failures.push(`${folderOf.get(result.workflowId) ?? result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });
});
