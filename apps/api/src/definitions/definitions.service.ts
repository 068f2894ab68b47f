import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Finding, ProcessGraph } from '@xuncha/bpmn';
import { checkDefinition, decodeDefinitionSource } from '@xuncha/bpmn';
import { formatDateTime } from '@xuncha/bpmn-engine';
import { InvalidDefinitionError, NotFoundError } from '@xuncha/contracts';
import type { ProcessDefinitionVersion } from '@xuncha/persistence';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import { TimerStarts } from '@xuncha/runtime';
import type { DefinitionDto, DefinitionVersionDetailDto, DefinitionVersionDto, DeployedDto } from './definitions.dto';
import { FormRegistry } from './form-registry';

function toVersionDto(row: ProcessDefinitionVersion): DefinitionVersionDto {
  return { key: row.key, version: row.version, checksum: row.checksum, name: row.name, deployedAt: row.deployedAt.toISOString() };
}

/** Deploys definitions (validate fully, then store a version) and serves their history. */
@Injectable()
export class DefinitionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefinitionsService.name);

  constructor(
    private readonly definitions: ProcessDefinitionRepository,
    private readonly forms: FormRegistry,
    private readonly timerStarts: TimerStarts,
  ) {}

  /** At start, every key's latest version gets the timer start schedules it should have (Temporal may be down: then later). */
  onApplicationBootstrap(): void {
    this.timerStarts.reconcile().catch((error: unknown) => {
      this.logger.warn(`Timer start schedules were not checked at start: ${error instanceof Error ? error.message : String(error)}; the next deployment checks them`);
    });
  }

  /**
   * Validates the upload with every rule and binds its forms; refuses it whole when any finding
   * is an error or a form is missing. Otherwise stores each executable process as its key's next
   * version (all of them or none), keeping the latest version of a key whose process is unchanged.
   */
  async deploy(upload: Uint8Array): Promise<{ created: boolean; deployed: DeployedDto }> {
    const xml = decodeDefinitionSource(upload);
    const { findings, graphs } = await checkDefinition(xml);
    if (graphs.length === 0) throw new InvalidDefinitionError(findings);
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
}
