import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Finding, ProcessGraph } from '@xuncha/bpmn';
import { checkDefinition, decodeDefinitionSource } from '@xuncha/bpmn';
import { formatDateTime } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { DefinitionPermissions, Principal } from '@xuncha/contracts';
import { allows, DEFINITION_ACTIONS, ForbiddenError, InvalidDefinitionError, NotFoundError } from '@xuncha/contracts';
import type { ProcessDefinitionVersion, StoredDefinitionPermissions } from '@xuncha/persistence';
import { DefinitionPermissionRepository, ProcessDefinitionRepository } from '@xuncha/persistence';
import { TimerStarts } from '@xuncha/runtime';
import type { DefinitionDto, DefinitionVersionDetailDto, DefinitionVersionDto, DeployedDto } from './definitions.dto';
import { FormRegistry } from './form-registry';

function toVersionDto(row: ProcessDefinitionVersion): DefinitionVersionDto {
  return { key: row.key, version: row.version, checksum: row.checksum, name: row.name, deployedAt: row.deployedAt.toISOString() };
}

/** How long to wait before deploying the shipped processes again when the database or Temporal did not answer. */
const SHIPPED_RETRY_MS = 30_000;

/** A finding when a compiled graph holds text no part of the engine may keep: a NUL character or a lone surrogate. */
function unstorableText(graphs: ProcessGraph[]): Finding | null {
  const unstorable = (value: unknown): boolean => {
    if (typeof value === 'string') return value.includes('\u0000') || !(value as string & { isWellFormed(): boolean }).isWellFormed();
    if (Array.isArray(value)) return value.some(unstorable);
    if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, member]) => unstorable(key) || unstorable(member));
    return false;
  };
  if (!unstorable(graphs)) return null;
  return {
    rule: 'storable-text',
    severity: 'error',
    elementId: null,
    elementType: null,
    message: 'the definition holds a character reference to a NUL character or to half a surrogate pair (such as &#0; or &#xD800;), which no text may keep',
    line: null,
  };
}

/** A shipped process file the checks refuse: the start fails, naming the file. */
export class InvalidShippedProcessError extends Error {
  constructor(
    readonly file: string,
    override readonly cause: InvalidDefinitionError,
  ) {
    const errors = cause.findings.filter((finding) => finding.severity === 'error');
    super(`the shipped process ${file} is refused: ${errors.map((finding) => `${finding.elementId ?? '-'}: ${finding.message}`).join('; ')}`);
    this.name = 'InvalidShippedProcessError';
  }
}

/** Deploys definitions (validate fully, then store a version) and serves their history. */
@Injectable()
export class DefinitionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DefinitionsService.name);

  private shippedRetry: NodeJS.Timeout | undefined;

  constructor(
    private readonly definitions: ProcessDefinitionRepository,
    private readonly forms: FormRegistry,
    private readonly timerStarts: TimerStarts,
    private readonly permissions: DefinitionPermissionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * At start, the shipped processes are deployed (a file the checks refuse stops the start), then
   * every key's latest version gets the timer start schedules it should have (Temporal may be
   * down: then later).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.deployShippedOrRetry();
    this.timerStarts.reconcile().catch((error: unknown) => {
      this.logger.warn(`Timer start schedules were not checked at start: ${error instanceof Error ? error.message : String(error)}; the next deployment checks them`);
    });
  }

  onApplicationShutdown(): void {
    clearTimeout(this.shippedRetry);
  }

  /**
   * Deploys every `*.bpmn` under PROCESSES_DIR, in name order, like an upload: an unchanged file
   * keeps its version, a changed one becomes the next. Answers what each deployment did.
   */
  async deployShipped(): Promise<Array<{ file: string; created: boolean; processes: DeployedDto['processes'] }>> {
    let files: string[];
    try {
      files = (await fs.readdir(this.config.processesDir)).filter((file) => file.endsWith('.bpmn')).sort();
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
    const done: Array<{ file: string; created: boolean; processes: DeployedDto['processes'] }> = [];
    for (const file of files) {
      const source = await fs.readFile(path.join(this.config.processesDir, file));
      try {
        const { created, deployed } = await this.deploy(source);
        done.push({ file, created, processes: deployed.processes });
      } catch (error) {
        if (error instanceof InvalidDefinitionError) throw new InvalidShippedProcessError(file, error);
        throw error;
      }
    }
    return done;
  }

  /** Deploys the shipped processes; a refused file fails the start, anything else (database, Temporal) is tried again later. */
  private async deployShippedOrRetry(): Promise<void> {
    try {
      const done = await this.deployShipped();
      const created = done.filter((entry) => entry.created);
      if (done.length > 0) {
        this.logger.log(
          `Shipped processes: ${done.length} file(s), ${created.length > 0 ? `new versions of ${created.flatMap((entry) => entry.processes.filter((p) => p.created).map((p) => `${p.key} v${p.version}`)).join(', ')}` : 'all unchanged'}`,
        );
      }
    } catch (error) {
      if (error instanceof InvalidShippedProcessError) throw error;
      this.logger.warn(`The shipped processes were not deployed: ${error instanceof Error ? error.message : String(error)}; trying again in ${SHIPPED_RETRY_MS / 1000} s`);
      this.shippedRetry = setTimeout(() => {
        this.deployShippedOrRetry().catch((later: unknown) => this.logger.error(later instanceof Error ? later.message : String(later)));
      }, SHIPPED_RETRY_MS);
      this.shippedRetry.unref();
    }
  }

  /**
   * Validates the upload with every rule and binds its forms; refuses it whole when any finding
   * is an error or a form is missing. Otherwise stores each executable process as its key's next
   * version (all of them or none), keeping the latest version of a key whose process is unchanged.
   */
  async deploy(upload: Uint8Array, caller?: Principal): Promise<{ created: boolean; deployed: DeployedDto }> {
    const xml = decodeDefinitionSource(upload);
    const { findings, graphs } = await checkDefinition(xml);
    if (graphs.length === 0) throw new InvalidDefinitionError(findings);
    // Character references the XML allows but no text may hold (&#0;, half a surrogate pair) are
    // refused here, before a graph carrying them is stored or runs.
    const unstorable = unstorableText(graphs);
    if (unstorable) throw new InvalidDefinitionError([...findings, unstorable]);
    // Each process of the file needs its own deploy permission; nothing is stored when one is refused.
    if (caller) {
      for (const graph of graphs) {
        if (!allows(await this.permissions.rulesFor(graph.processId), 'deploy', caller)) {
          throw new ForbiddenError(`your roles may not deploy new versions of "${graph.processId}"`, { reason: 'definition-permission', definitionKey: graph.processId, action: 'deploy' });
        }
      }
    }
    // User tasks' forms are bound now: a completion is checked against the form deployed with its version.
    const missingForms: Finding[] = [];
    for (const graph of graphs) missingForms.push(...(await this.forms.bind(graph)));
    if (missingForms.length > 0) throw new InvalidDefinitionError([...findings, ...missingForms]);
    const timerProblems = await this.checkTimerStarts(graphs);
    if (timerProblems.length > 0) throw new InvalidDefinitionError([...findings, ...timerProblems]);
    const warnings = findings.filter((f) => f.severity === 'warning');
    const outcomes = await this.definitions.deployAll(graphs, xml, warnings);
    // Each key's timer starts follow its latest version (also when unchanged: a failed earlier sync is made good).
    for (const { version } of outcomes) await this.timerStarts.sync(version);
    const processes = outcomes.map(({ version, created }) => ({ key: version.key, version: version.version, checksum: version.checksum, name: version.name, created }));
    const first = outcomes[0]!.version;
    return {
      created: outcomes.some((outcome) => outcome.created),
      deployed: { ...toVersionDto(first), warnings: first.warnings, processes },
    };
  }

  /** The latest version of a key with its timer start schedules and their next firings. */
  async definition(key: string): Promise<DefinitionDto> {
    const latest = await this.definitions.latest(key);
    if (!latest) throw new NotFoundError('process definition', key);
    const schedules = await this.timerStarts.status(latest);
    return {
      ...toVersionDto(latest),
      schedules: schedules.map((schedule) => ({
        startEventId: schedule.startEventId,
        name: schedule.name,
        timer: schedule.timer,
        scheduleId: schedule.scheduleId,
        fired: schedule.fired,
        lastFiredAt: schedule.lastFiredAt ? formatDateTime(schedule.lastFiredAt.getTime()) : null,
        nextFirings: schedule.nextFirings.map((at) => formatDateTime(at.getTime())),
      })),
    };
  }

  /**
   * Timer start events are evaluated when they are deployed, as in Camunda 8 (FEEL with no
   * variables): one that is not a timer of its kind refuses the deployment, naming the event.
   */
  private async checkTimerStarts(graphs: ProcessGraph[]): Promise<Finding[]> {
    const now = new Date();
    const findings: Finding[] = [];
    for (const graph of graphs) {
      for (const problem of await this.timerStarts.problems(graph, now)) {
        findings.push({
          rule: 'timer-start',
          severity: 'error',
          elementId: problem.startEventId,
          elementType: 'bpmn:StartEvent',
          message: `The timer start event "${problem.name ?? problem.startEventId}" cannot be scheduled: ${problem.message}`,
          line: null,
        });
      }
    }
    return findings;
  }

  /** Latest version of each key, ordered by key code point by code point (the same on every database collation). */
  async latest(): Promise<DefinitionVersionDto[]> {
    const rows = await this.definitions.latestOfEachKey();
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(toVersionDto);
  }

  async versions(key: string): Promise<DefinitionVersionDto[]> {
    const rows = await this.definitions.versionsOf(key);
    if (rows.length === 0) throw new NotFoundError('process definition', key);
    return rows.map(toVersionDto);
  }

  async version(key: string, version: number): Promise<DefinitionVersionDetailDto> {
    const row = await this.find(key, version);
    const byType: Record<string, number> = {};
    for (const node of Object.values(row.graph.nodes)) byType[node.type] = (byType[node.type] ?? 0) + 1;
    return {
      ...toVersionDto(row),
      warnings: row.warnings,
      summary: { flowNodes: Object.keys(row.graph.nodes).length, sequenceFlows: Object.keys(row.graph.flows).length, byType },
      xml: row.xml,
    };
  }

  async graph(key: string, version: number): Promise<ProcessGraph> {
    return (await this.find(key, version)).graph;
  }

  private async find(key: string, version: number): Promise<ProcessDefinitionVersion> {
    const row = await this.definitions.findVersion(key, version);
    if (!row) throw new NotFoundError('process definition version', `${key} v${version}`);
    return row;
  }

  /** Who may do what to a definition's instances: its own rules, or those of every definition (`inherited`). */
  permissionsOf(key: string): Promise<StoredDefinitionPermissions> {
    return this.permissions.find(key);
  }

  /** Replaces a definition's rules (every action named); the key need not be deployed yet. */
  setPermissions(key: string, rules: DefinitionPermissions, caller: Principal): Promise<StoredDefinitionPermissions> {
    return this.permissions.set(key, Object.fromEntries(DEFINITION_ACTIONS.map((action) => [action, [...new Set(rules[action])]])) as DefinitionPermissions, caller.sub);
  }

}
