// Recorded workflow histories: the proof that instances started on an earlier release keep
// running on every later one. Each folder under test/histories holds what one release
// recorded; files are added, never rewritten.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { ROOT } from './processes';
import { e2eTemporalAddress } from './temporal';

/** Where every release's recordings live, one folder per release. */
export const HISTORIES_ROOT = path.join(ROOT, 'test/histories');
/** File in each folder naming the workflow id each history was recorded under (child ids derive from it). */
export const WORKFLOW_IDS = 'workflow-ids.json';

/** The folder the current release records into: named after the package version. */
export function currentReleaseFolder(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return path.join(HISTORIES_ROOT, version);
}

/** One recorded history file with the workflow id it ran under. */
export interface RecordedHistory {
  folder: string;
  name: string;
  file: string;
  workflowId: string;
}

/** Every recorded history of every release, oldest folder first. */
export function recordedHistories(): RecordedHistory[] {
  const folders = fs.existsSync(HISTORIES_ROOT)
    ? fs
        .readdirSync(HISTORIES_ROOT, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return folders.flatMap((folder) => {
    const dir = path.join(HISTORIES_ROOT, folder);
    const idsFile = path.join(dir, WORKFLOW_IDS);
    const ids = fs.existsSync(idsFile) ? (JSON.parse(fs.readFileSync(idsFile, 'utf8')) as Record<string, string>) : {};
    return fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.json') && file !== WORKFLOW_IDS)
      .sort()
      .map((file) => {
        const name = file.replace(/\.json$/, '');
        return { folder, name, file: path.join(dir, file), workflowId: ids[name] ?? name };
      });
  });
}

/**
 * Scenarios a spec ran that may be recorded. With RECORD_HISTORIES=1, {@link HistoryRecorder.write}
 * exports those whose name no release has recorded yet into the current release's folder; a
 * name already recorded anywhere is left as it is, so no history is ever re-recorded.
 */
export class HistoryRecorder {
  private readonly kept: Array<[string, WorkflowHandle, string | undefined]> = [];

  /** Keeps a scenario's workflow; `runId` names one run (of several, across continueAsNew), else the latest. */
  keep(name: string, handle: WorkflowHandle, runId?: string): void {
    this.kept.push([name, handle, runId]);
  }

  /** Writes the new recordings (only with RECORD_HISTORIES=1); answers the names written. */
  write(): string[] {
    if (process.env.RECORD_HISTORIES !== '1' || this.kept.length === 0) return [];
    const existing = new Set(recordedHistories().map((history) => history.name));
    const fresh = this.kept.filter(([name]) => !existing.has(name));
    if (fresh.length === 0) return [];
    const folder = currentReleaseFolder();
    fs.mkdirSync(folder, { recursive: true });
    // The CLI's JSON export is the format Temporal UI downloads and historyFromJSON reads.
    const cli = resolveTemporalCli({ build: false }).path;
    if (!cli) throw new Error('recording histories needs the temporal CLI');
    const idsFile = path.join(folder, WORKFLOW_IDS);
    const ids = fs.existsSync(idsFile) ? (JSON.parse(fs.readFileSync(idsFile, 'utf8')) as Record<string, string>) : {};
    for (const [name, handle, runId] of fresh) {
      const run = runId ? ['--run-id', runId] : [];
      const json = execFileSync(cli, ['workflow', 'show', '--workflow-id', handle.workflowId, ...run, '--address', e2eTemporalAddress(), '--output', 'json']);
      fs.writeFileSync(path.join(folder, `${name}.json`), json, { flag: 'wx' });
      ids[name] = handle.workflowId;
    }
    fs.writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
    return fresh.map(([name]) => name);
  }
}
