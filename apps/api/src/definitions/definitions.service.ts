import { Injectable } from '@nestjs/common';
import type { Finding, ProcessGraph } from '@xuncha/bpmn';
import { checkDefinition, decodeDefinitionSource } from '@xuncha/bpmn';
import { InvalidDefinitionError, NotFoundError } from '@xuncha/contracts';
import type { ProcessDefinitionVersion } from '@xuncha/persistence';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import type { DefinitionVersionDetailDto, DefinitionVersionDto, DeployedDto } from './definitions.dto';
import { FormRegistry } from './form-registry';

function toVersionDto(row: ProcessDefinitionVersion): DefinitionVersionDto {
  return { key: row.key, version: row.version, checksum: row.checksum, name: row.name, deployedAt: row.deployedAt.toISOString() };
}

/** Deploys definitions (validate fully, then store a version) and serves their history. */
@Injectable()
export class DefinitionsService {
  constructor(
    private readonly definitions: ProcessDefinitionRepository,
    private readonly forms: FormRegistry,
  ) {}

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
    const warnings = findings.filter((f) => f.severity === 'warning');
    const outcomes = await this.definitions.deployAll(graphs, xml, warnings);
    const processes = outcomes.map(({ version, created }) => ({ key: version.key, version: version.version, checksum: version.checksum, name: version.name, created }));
    const first = outcomes[0]!.version;
    return {
      created: outcomes.some((outcome) => outcome.created),
      deployed: { ...toVersionDto(first), warnings: first.warnings, processes },
    };
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
