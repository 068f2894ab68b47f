import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Finding, ProcessGraph } from '@xuncha/bpmn';
import { DataSource } from 'typeorm';
import { ProcessDefinitionVersion } from '../entities/process-definition.entity';

/** Outcome of a deployment: the version that now stands for this XML, and whether it is new. */
export interface DeployOutcome {
  version: ProcessDefinitionVersion;
  created: boolean;
}

/** Port for deployed definitions: versioning happens here, under a per-key lock. */
@Injectable()
export class ProcessDefinitionRepository {
  /** Serialises deployments in this process; the embedded database has a single connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores a compiled definition as the next version of its key, unless the latest version
   * has the same checksum, in which case that version is returned.
   */
  async deploy(graph: ProcessGraph, xml: string, warnings: Finding[]): Promise<DeployOutcome> {
    const [outcome] = await this.deployAll([graph], xml, warnings);
    return outcome!;
  }

  /**
   * Stores every process of one file (one graph each) in one transaction: all of them or none.
   * Each becomes the next version of its key unless that key's latest version has the same
   * checksum. Concurrent deployments of a key are serialised by transaction-scoped advisory
   * locks, taken in key order so two files sharing keys never wait on each other in a cycle.
   * Outcomes are in the order of `graphs`.
   */
  deployAll(graphs: ProcessGraph[], xml: string, warnings: Finding[]): Promise<DeployOutcome[]> {
    const run = this.queue.then(() =>
      this.dataSource.transaction(async (manager) => {
        const keys = [...new Set(graphs.map((graph) => graph.processId))].sort();
        for (const key of keys) await manager.query(`SELECT pg_advisory_xact_lock(hashtext('process_definition:' || $1))`, [key]);
        const repository = manager.getRepository(ProcessDefinitionVersion);
        const outcomes: DeployOutcome[] = [];
        for (const graph of graphs) {
          const latest = await repository.findOne({ where: { key: graph.processId }, order: { version: 'DESC' } });
          if (latest && latest.checksum === graph.checksum) {
            outcomes.push({ version: latest, created: false });
            continue;
          }
          const version = repository.create({
            key: graph.processId,
            version: (latest?.version ?? 0) + 1,
            checksum: graph.checksum,
            name: graph.name,
            xml,
            graph,
            warnings,
          });
          outcomes.push({ version: await repository.save(version), created: true });
        }
        return outcomes;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The newest version of every key (callers order them). */
  latestOfEachKey(): Promise<ProcessDefinitionVersion[]> {
    return this.dataSource
      .getRepository(ProcessDefinitionVersion)
      .createQueryBuilder('d')
      .select(['d.id', 'd.key', 'd.version', 'd.checksum', 'd.name', 'd.deployedAt'])
      .where('d.version = (SELECT max(v.version) FROM process_definition v WHERE v.key = d.key)')
      .getMany();
  }

  /** Every version of a key, newest first (without XML and graph). */
  versionsOf(key: string): Promise<ProcessDefinitionVersion[]> {
    return this.dataSource.getRepository(ProcessDefinitionVersion).find({
      select: { id: true, key: true, version: true, checksum: true, name: true, deployedAt: true, warnings: true },
      where: { key },
      order: { version: 'DESC' },
    });
  }

  /** One version with its XML and graph. */
  findVersion(key: string, version: number): Promise<ProcessDefinitionVersion | null> {
    return this.dataSource.getRepository(ProcessDefinitionVersion).findOneBy({ key, version });
  }

  /** The newest version of a key with its graph, or null when none is deployed. */
  latest(key: string): Promise<ProcessDefinitionVersion | null> {
    return this.dataSource.getRepository(ProcessDefinitionVersion).findOne({ where: { key }, order: { version: 'DESC' } });
  }

  /** The newest version of a key whose process carries this `zeebe:versionTag`. */
  latestTagged(key: string, versionTag: string): Promise<ProcessDefinitionVersion | null> {
    return this.dataSource
      .getRepository(ProcessDefinitionVersion)
      .createQueryBuilder('d')
      .where('d.key = :key', { key })
      .andWhere(`d.graph ->> 'versionTag' = :versionTag`, { versionTag })
      .orderBy('d.version', 'DESC')
      .getOne();
  }

  /** The newest version of a key deployed no later than another definition version (the binding "deployment"). */
  latestDeployedWith(key: string, caller: { key: string; version: number }): Promise<ProcessDefinitionVersion | null> {
    return this.dataSource
      .getRepository(ProcessDefinitionVersion)
      .createQueryBuilder('d')
      .where('d.key = :key', { key })
      .andWhere('d.deployed_at <= (SELECT c.deployed_at FROM process_definition c WHERE c.key = :callerKey AND c.version = :callerVersion)', {
        callerKey: caller.key,
        callerVersion: caller.version,
      })
      .orderBy('d.version', 'DESC')
      .getOne();
  }

  /** Latest versions (with graphs) whose process starts on the named message: where a published message may start instances. */
  async startableByMessage(messageName: string): Promise<Array<{ version: ProcessDefinitionVersion; startEventId: string }>> {
    const latest = await this.dataSource
      .getRepository(ProcessDefinitionVersion)
      .createQueryBuilder('d')
      .where('d.version = (SELECT max(v.version) FROM process_definition v WHERE v.key = d.key)')
      .orderBy('d.key')
      .getMany();
    const found: Array<{ version: ProcessDefinitionVersion; startEventId: string }> = [];
    for (const version of latest) {
      const start = version.graph.children
        .map((id) => version.graph.nodes[id])
        .find((node) => node?.type === 'startEvent' && node.trigger?.kind === 'message' && node.trigger.messageName === messageName);
      if (start) found.push({ version, startEventId: start.id });
    }
    return found;
  }

  /** How many versions are stored in all (for tests and diagnostics). */
  count(): Promise<number> {
    return this.dataSource.getRepository(ProcessDefinitionVersion).count();
  }
}
