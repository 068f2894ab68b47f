// Replays workflow histories (Temporal's JSON export: `temporal workflow show --output json`, or
// Temporal UI's download) against this release's workflow code, before it is rolled out:
//   npm run replay -- histories/*.json          (the bundle WORKFLOW_BUNDLE_PATH names, else workflows/)
// Each history replays under the workflow id it ran under (child ids derive from it): the file's
// name without .json, or its entry in a workflow-ids.json beside it. Exits 1 naming each history
// the new code would not continue deterministically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '@xuncha/config';
import { encryptedDataConverter } from '@xuncha/runtime';
import { workflowSource } from '../apps/worker/src/workflow-bundle';

async function main(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: npm run replay -- HISTORY.json ...  (each a workflow history as Temporal exports it)');
    return 2;
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const histories = files
    .filter((file) => path.basename(file) !== 'workflow-ids.json')
    .map((file) => {
      const idsFile = path.join(path.dirname(file), 'workflow-ids.json');
      const ids = fs.existsSync(idsFile) ? (JSON.parse(fs.readFileSync(idsFile, 'utf8')) as Record<string, string>) : {};
      const name = path.basename(file, '.json');
      return { file, workflowId: ids[name] ?? name, history: historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))) };
    });
  const byId = new Map(histories.map((h) => [h.workflowId, h.file]));
  let failed = 0;
  // Histories recorded encrypted decode with the keys of PAYLOAD_KEYS; older, plain ones pass through.
  const dataConverter = encryptedDataConverter(loadConfig().payload);
  for await (const result of Worker.runReplayHistories({ ...workflowSource(process.env.WORKFLOW_BUNDLE_PATH || undefined), dataConverter }, histories)) {
    const file = byId.get(result.workflowId) ?? result.workflowId;
    if (result.error) {
      failed++;
      console.error(`✗ ${file}: ${result.error.message}`);
    } else {
      console.log(`✓ ${file}`);
    }
  }
  console.log(`${histories.length - failed} of ${histories.length} histories replay on this release`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
