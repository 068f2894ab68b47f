import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { AuditCheckpointRow, AuditRecordRow } from '../entities/audit.entity';
import type { AuditFields, AuditHash, AuditRecordAlg, CheckpointFields } from './audit-chain';
import { checkpointMac, GENESIS_HASH, headMac, keyedAlg, macMatches, recordHash, sameMac } from './audit-chain';

/** One act to record. */
export interface AuditEntry {
  actor: string;
  roles: string[];
  action: string;
  route?: string | null;
  object: string | null;
  result: 'success' | 'denied' | 'failed';
  status: number | null;
  /** The caller's address; taken from the request being served when left out. */
  source?: string | null;
}

/** The request an act belongs to, for the parts of it a service does not know (its source address). */
export const auditRequestContext = new AsyncLocalStorage<{ source: string | null }>();

/** A record as the trail answers it. */
export interface AuditRecordView {
  seq: number;
  at: string;
  actor: string;
  roles: string[];
  action: string;
  route: string | null;
  object: string | null;
  result: string;
  status: number | null;
  source: string | null;
  hash: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Records whose object starts with this. */
  object?: string;
  result?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** What a verification found: the chain whole, or the first broken link named. */
export interface AuditVerification {
  ok: boolean;
  /** Records walked. */
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoints: number;
  /** Where verification began: the first kept record, or the last checkpoint when asked. */
  startedAt: 'first-record' | 'last-checkpoint';
  broken: { seq: number | null; checkpointId?: number; reason: 'altered' | 'missing' | 'relinked' | 'checkpoint-mismatch' | 'checkpoint-forged' | 'head-forged' | 'head-mismatch' | 'truncated'; message: string } | null;
}

/** Appends never wait longer than this for others to join their transaction. */
const BATCH_MAX = 500;
/** A checkpoint is signed at least this often while records arrive. */
const CHECKPOINT_INTERVAL_MS = 10 * 60_000;

interface HeadRow {
  seq: string;
  hash: string;
  /** From which record on every link is keyed (null only before the keyed chain's migration). */
  keyed_from: string | null;
  since_checkpoint: number;
  checkpoint_at: Date;
}

/**
 * The audit trail: an append-only, hash-chained table. Appends from concurrent requests share
 * one transaction (group commit), which locks the chain's head, numbers the records, chains their
 * hashes and signs a checkpoint every `checkpointEvery` records or ten minutes. Verification walks
 * the chain from the first kept record and names the first broken link.
 */
@Injectable()
export class AuditRepository implements OnApplicationShutdown {
  private readonly logger = new Logger('AuditTrail');
  private queue: Array<{ entry: AuditEntry; at: Date; resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records acts; settles once they are committed. */
  append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const source = auditRequestContext.getStore()?.source ?? null;
    const at = new Date();
    const written = entries.map(
      (entry) =>
        new Promise<void>((resolve, reject) => {
          this.queue.push({ entry: { ...entry, source: entry.source ?? source }, at, resolve, reject });
        }),
    );
    this.schedule();
    return Promise.all(written).then(() => undefined);
  }

  /** Settles once every record appended so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private schedule(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
      this.schedule();
    });
  }

  private async drain(): Promise<void> {
    const batch = this.queue.splice(0, BATCH_MAX);
    try {
      await this.dataSource.transaction((manager) => this.write(manager, batch));
      for (const item of batch) item.resolve();
    } catch (error) {
      if (batch.length === 1) {
        this.logger.error(`an audit record was not written: ${error instanceof Error ? error.message : String(error)}`);
        batch[0]!.reject(error);
        return;
      }
      // One bad record must not cost the others theirs: each is tried on its own.
      for (const item of batch) {
        try {
          await this.dataSource.transaction((manager) => this.write(manager, [item]));
          item.resolve();
        } catch (single) {
          this.logger.error(`an audit record was not written: ${single instanceof Error ? single.message : String(single)}`);
          item.reject(single);
        }
      }
    }
  }

  private async write(manager: EntityManager, batch: Array<{ entry: AuditEntry; at: Date }>): Promise<void> {
    const head = await this.lockHead(manager);
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const alg = keyedAlg(this.config.audit.hash);
    const key = this.config.audit.hmacKey;
    const rows = batch.map(({ entry, at }) => {
      seq += 1;
      const fields: AuditFields = {
        seq,
        at: at.toISOString(),
        actor: storable(entry.actor, 255),
        roles: entry.roles.map((role) => storable(role, 64)),
        action: storable(entry.action, 255),
        route: entry.route === undefined || entry.route === null ? null : storable(entry.route, 255),
        object: entry.object === null ? null : storable(entry.object, 512),
        result: entry.result,
        status: entry.status,
        source: entry.source === undefined || entry.source === null ? null : storable(entry.source, 64),
        alg,
        prevHash,
      };
      const hash = recordHash(fields, key);
      prevHash = hash;
      return { ...fields, seq: String(seq), at, hash };
    });
    await manager.getRepository(AuditRecordRow).insert(rows);
    const since = head.since_checkpoint + rows.length;
    const due = since >= this.config.audit.checkpointEvery || Date.now() - head.checkpoint_at.getTime() >= CHECKPOINT_INTERVAL_MS;
    const keyedFrom = head.keyed_from === null ? null : Number(head.keyed_from);
    if (due) await this.sign(manager, { seq, hash: prevHash, keyedFrom }, 'periodic');
    await manager.query(`UPDATE "audit_head" SET "seq" = $1, "hash" = $2, "since_checkpoint" = $3, "mac" = $4, "mac_alg" = $5${due ? ', "checkpoint_at" = now()' : ''} WHERE "id" = 1`, [
      seq,
      prevHash,
      due ? 0 : since,
      headMac({ seq, hash: prevHash, keyedFrom }, this.config.audit.hash, key),
      this.config.audit.hash,
    ]);
  }

  private async lockHead(manager: EntityManager): Promise<HeadRow> {
    const [head] = (await manager.query(`SELECT "seq", "hash", "keyed_from", "since_checkpoint", "checkpoint_at" FROM "audit_head" WHERE "id" = 1 FOR UPDATE`)) as HeadRow[];
    if (!head) throw new Error('the audit trail has no head row: run the migrations');
    return { ...head, checkpoint_at: new Date(head.checkpoint_at) };
  }

  /** Where the kept chain begins: after the last pruning, or at the first record ever. */
  private async beginning(manager: EntityManager | DataSource): Promise<{ firstSeq: number; firstPrevHash: string }> {
    const [last] = await manager.getRepository(AuditCheckpointRow).find({ order: { id: 'DESC' }, take: 1 });
    return last ? { firstSeq: Number(last.firstSeq), firstPrevHash: last.firstPrevHash } : { firstSeq: 1, firstPrevHash: GENESIS_HASH };
  }

  private async sign(
    manager: EntityManager,
    head: { seq: number; hash: string; keyedFrom: number | null },
    reason: CheckpointFields['reason'],
    beginning?: { firstSeq: number; firstPrevHash: string },
  ): Promise<void> {
    const { seq, hash, keyedFrom } = head;
    const { firstSeq, firstPrevHash } = beginning ?? (await this.beginning(manager));
    const fields: CheckpointFields = { seq, hash, firstSeq, firstPrevHash, at: new Date().toISOString(), reason, alg: this.config.audit.hash, keyedFrom };
    await manager.getRepository(AuditCheckpointRow).insert({
      ...fields,
      seq: String(seq),
      firstSeq: String(firstSeq),
      keyedFrom: keyedFrom === null ? null : String(keyedFrom),
      at: new Date(fields.at),
      mac: checkpointMac(fields, this.config.audit.hmacKey),
    });
  }

  /** Signs a checkpoint when records arrived since the last one (the periodic tick of an idle trail). */
  async checkpointIfPending(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const head = await this.lockHead(manager);
      if (head.since_checkpoint === 0) return false;
      await this.sign(manager, headOf(head), 'periodic');
      await manager.query(`UPDATE "audit_head" SET "since_checkpoint" = 0, "checkpoint_at" = now() WHERE "id" = 1`);
      return true;
    });
  }

  /**
   * Deletes the records older than the retention period, after signing a checkpoint that says
   * where the kept chain now begins and what it chains from. Answers how many were deleted.
   */
  async prune(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.audit.retentionDays * 86_400_000);
    return this.dataSource.transaction(async (manager) => {
      const head = await this.lockHead(manager);
      const [last] = (await manager.query(`SELECT "seq", "hash" FROM "audit_record" WHERE "at" < $1 ORDER BY "seq" DESC LIMIT 1`, [cutoff])) as Array<{ seq: string; hash: string }>;
      if (!last) return 0;
      await this.sign(manager, headOf(head), 'prune', { firstSeq: Number(last.seq) + 1, firstPrevHash: last.hash });
      await manager.query(`SET LOCAL xuncha.audit_prune = 'on'`);
      const deleted = (await manager.query(`DELETE FROM "audit_record" WHERE "seq" <= $1 RETURNING "seq"`, [last.seq])) as unknown[];
      await manager.query(`UPDATE "audit_head" SET "since_checkpoint" = 0, "checkpoint_at" = now() WHERE "id" = 1`);
      return Array.isArray(deleted[0]) ? (deleted[0] as unknown[]).length : deleted.length;
    });
  }

  async list(filter: AuditFilter): Promise<{ items: AuditRecordView[]; total: number }> {
    const query = this.dataSource.getRepository(AuditRecordRow).createQueryBuilder('r');
    if (filter.actor !== undefined) query.andWhere('r.actor = :actor', { actor: filter.actor });
    if (filter.action !== undefined) query.andWhere('r.action = :action', { action: filter.action });
    if (filter.object !== undefined) query.andWhere("r.object LIKE :object ESCAPE '\\'", { object: `${filter.object.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (filter.result !== undefined) query.andWhere('r.result = :result', { result: filter.result });
    if (filter.from !== undefined) query.andWhere('r.at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('r.at <= :to', { to: filter.to });
    const [rows, total] = await query.orderBy('r.seq', 'DESC').take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items: rows.map(toView), total };
  }

  /** Every record about one object, oldest first (the clue access log is this view of the trail). */
  async about(object: string, actions: string[]): Promise<AuditRecordView[]> {
    const rows = await this.dataSource
      .getRepository(AuditRecordRow)
      .createQueryBuilder('r')
      .where('r.object = :object', { object })
      .andWhere('r.action IN (:...actions)', { actions })
      .orderBy('r.seq', 'ASC')
      .getMany();
    return rows.map(toView);
  }

  /**
   * Walks the chain and answers the first broken link: a record altered (its hash no longer its
   * contents'), missing (a gap in the numbers), relinked (chained to another hash than its
   * predecessor's), a checkpoint forged (its MAC fails) or contradicted (the record it names has
   * another hash), or the tail truncated (a checkpoint or the head names records that are gone).
   * `fromLastCheckpoint` starts at the last checkpoint instead of the first kept record.
   */
  async verify(options: { fromLastCheckpoint?: boolean; batch?: number } = {}): Promise<AuditVerification> {
    const key = this.config.audit.hmacKey;
    const checkpoints = await this.dataSource.getRepository(AuditCheckpointRow).find({ order: { id: 'ASC' } });
    const result = (broken: AuditVerification['broken'], walked: { records: number; firstSeq: number | null; lastSeq: number | null }): AuditVerification => ({
      ok: broken === null,
      ...walked,
      checkpoints: checkpoints.length,
      startedAt: options.fromLastCheckpoint && checkpoints.length > 0 ? 'last-checkpoint' : 'first-record',
      broken,
    });
    const fieldsOf = (row: AuditCheckpointRow): CheckpointFields => ({
      seq: Number(row.seq),
      hash: row.hash,
      firstSeq: Number(row.firstSeq),
      firstPrevHash: row.firstPrevHash,
      at: row.at.toISOString(),
      reason: row.reason as CheckpointFields['reason'],
      alg: row.alg as AuditHash,
      keyedFrom: row.keyedFrom === null ? null : Number(row.keyedFrom),
    });
    for (const checkpoint of checkpoints) {
      if (!macMatches(fieldsOf(checkpoint), key, checkpoint.mac)) {
        return result(
          { seq: Number(checkpoint.seq), checkpointId: Number(checkpoint.id), reason: 'checkpoint-forged', message: `checkpoint ${checkpoint.id} does not carry a valid signature: it was altered or written without the key` },
          { records: 0, firstSeq: null, lastSeq: null },
        );
      }
    }
    const last = checkpoints.at(-1);
    const vouched = new Map(checkpoints.map((checkpoint) => [Number(checkpoint.seq), checkpoint]));
    let expectedSeq = last ? Number(last.firstSeq) : 1;
    let prevHash = last ? last.firstPrevHash : GENESIS_HASH;
    if (options.fromLastCheckpoint && last && Number(last.seq) >= expectedSeq) {
      expectedSeq = Number(last.seq) + 1;
      prevHash = last.hash;
      const [anchor] = await this.dataSource.getRepository(AuditRecordRow).find({ where: { seq: last.seq } });
      if (!anchor || anchor.hash !== last.hash) {
        return result(
          { seq: Number(last.seq), checkpointId: Number(last.id), reason: anchor ? 'checkpoint-mismatch' : 'truncated', message: `record ${last.seq}, which the last checkpoint vouches for, is ${anchor ? 'not as signed' : 'gone'}` },
          { records: 0, firstSeq: null, lastSeq: null },
        );
      }
    }
    const batch = options.batch ?? 2000;
    let records = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    let lastKeyed = false;
    // Where the keyed chain began, as the head keeps it and every checkpoint since signs it: the earliest counts.
    const [head] = (await this.dataSource.query(`SELECT "seq", "hash", "mac", "mac_alg", "keyed_from" FROM "audit_head" WHERE "id" = 1`)) as Array<{
      seq: string;
      hash: string;
      mac: string | null;
      mac_alg: string | null;
      keyed_from: string | null;
    }>;
    const keyedFrom = Math.min(
      ...[head?.keyed_from ?? null, ...checkpoints.map((checkpoint) => checkpoint.keyedFrom)].filter((value): value is string => value !== null).map(Number),
      Number.POSITIVE_INFINITY,
    );
    for (;;) {
      const rows = await this.dataSource
        .getRepository(AuditRecordRow)
        .createQueryBuilder('r')
        .where('r.seq >= :from', { from: expectedSeq })
        .orderBy('r.seq', 'ASC')
        .take(batch)
        .getMany();
      for (const row of rows) {
        const seq = Number(row.seq);
        const walked = { records, firstSeq, lastSeq };
        if (seq !== expectedSeq) return result({ seq: expectedSeq, reason: 'missing', message: `record ${expectedSeq} is missing: it was deleted` }, walked);
        if (row.prevHash !== prevHash) return result({ seq, reason: 'relinked', message: `record ${seq} does not chain from record ${seq - 1}` }, walked);
        const fields = recordFieldsOf(row);
        // Once the chain is keyed it stays keyed: a plain link where the chain is keyed was made without the key.
        if ((lastKeyed || seq >= keyedFrom) && !row.alg.startsWith('hmac-')) return result({ seq, reason: 'altered', message: `record ${seq} is linked without the key after the keyed chain began: it was rewritten` }, walked);
        if (recordHash(fields, key) !== row.hash) return result({ seq, reason: 'altered', message: `record ${seq} was altered after it was written` }, walked);
        const checkpoint = vouched.get(seq);
        if (checkpoint && checkpoint.hash !== row.hash) {
          return result({ seq, checkpointId: Number(checkpoint.id), reason: 'checkpoint-mismatch', message: `record ${seq} is not the one checkpoint ${checkpoint.id} signed: the chain was rewritten` }, walked);
        }
        prevHash = row.hash;
        lastKeyed = row.alg.startsWith('hmac-');
        firstSeq ??= seq;
        lastSeq = seq;
        records += 1;
        expectedSeq = seq + 1;
      }
      if (rows.length < batch) break;
    }
    const walked = { records, firstSeq, lastSeq };
    const truncated = (reach: number): AuditVerification => result({ seq: expectedSeq, reason: 'truncated', message: `records ${expectedSeq} to ${reach} are gone: the trail was cut short` }, walked);
    // Every checkpoint ever signed vouches the chain reached its record.
    const vouchedReach = Math.max(...checkpoints.map((checkpoint) => Number(checkpoint.seq)), 0);
    if (vouchedReach >= expectedSeq) return truncated(vouchedReach);
    // Past the last checkpoint the head says how far the chain must reach. It is signed since the
    // keyed chain: set back (to hide a cut tail) or unsigned, it gives itself away.
    if (!head) return result({ seq: null, reason: 'head-forged', message: "the trail's head is gone" }, walked);
    const headSeq = Number(head.seq);
    const headKeyedFrom = head.keyed_from === null ? null : Number(head.keyed_from);
    const headAlg = (head.mac_alg ?? this.config.audit.hash) as AuditHash;
    if (
      (head.mac !== null || lastKeyed || headSeq >= keyedFrom) &&
      (head.mac === null || !sameMac(headMac({ seq: headSeq, hash: head.hash, keyedFrom: headKeyedFrom }, headAlg, key), head.mac))
    ) {
      return result({ seq: headSeq, reason: 'head-forged', message: `the trail's head (record ${headSeq}) does not carry a valid signature: it was set back or written without the key` }, walked);
    }
    if (headSeq >= expectedSeq) return truncated(headSeq);
    // The signed head names the last link: a tail rewritten under it (even in plain links) no longer ends there.
    if (head.mac !== null && lastSeq === headSeq && head.hash !== prevHash) {
      return result({ seq: headSeq, reason: 'head-mismatch', message: `record ${headSeq} is not the one the signed head names: the chain was rewritten` }, walked);
    }
    if (head.mac !== null && lastSeq !== null && lastSeq > headSeq) {
      return result({ seq: headSeq + 1, reason: 'head-mismatch', message: `records after ${headSeq}, where the signed head says the trail ends, were added behind its back` }, walked);
    }
    return result(null, walked);
  }
}

/**
 * Text as Postgres will keep it, so the hash taken now is the hash verification recomputes: NUL
 * and lone surrogates replaced, cut to the column's length (without splitting a character).
 */
function storable(text: string, length: number): string {
  // Postgres counts characters (code points), as the spread does.
  return [...(text as string & { toWellFormed(): string }).toWellFormed().split('\u0000').join('\ufffd')].slice(0, length).join('');
}

function headOf(head: HeadRow): { seq: number; hash: string; keyedFrom: number | null } {
  return { seq: Number(head.seq), hash: head.hash, keyedFrom: head.keyed_from === null ? null : Number(head.keyed_from) };
}

/** What a stored record says, as its hash was taken over it. */
function recordFieldsOf(row: AuditRecordRow): AuditFields {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor,
    roles: row.roles,
    action: row.action,
    route: row.route,
    object: row.object,
    result: row.result,
    status: row.status,
    source: row.source,
    alg: row.alg as AuditRecordAlg,
    prevHash: row.prevHash,
  };
}

function toView(row: AuditRecordRow): AuditRecordView {
  const { seq, at, actor, roles, action, route, object, result, status, source } = recordFieldsOf(row);
  return { seq, at, actor, roles, action, route, object, result, status, source, hash: row.hash };
}
