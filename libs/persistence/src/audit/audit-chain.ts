import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The hash functions of the chain: SM3 (GB/T 32905-2016) by default, SHA-256 where asked. */
export type AuditHash = 'sm3' | 'sha256';

/**
 * How a record's link is made: a keyed HMAC of the chain's hash (`hmac-sm3`, `hmac-sha256`, written
 * since the keyed chain), so nobody without AUDIT_HMAC_KEY can rewrite records and their
 * successors; or the plain hash (`sm3`, `sha256`) of the records written before it.
 */
export type AuditRecordAlg = AuditHash | `hmac-${AuditHash}`;

/** The link records are written with now. */
export function keyedAlg(hash: AuditHash): AuditRecordAlg {
  return `hmac-${hash}`;
}

/** The hash before the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record says, as it is hashed. */
export interface AuditFields {
  seq: number;
  /** ISO-8601 instant with milliseconds. */
  at: string;
  actor: string;
  roles: string[];
  action: string;
  /** The route it came through (`GET /clues/:id`), when it came through one. */
  route: string | null;
  object: string | null;
  result: string;
  status: number | null;
  source: string | null;
  alg: AuditRecordAlg;
  prevHash: string;
}

/** The text a record's hash is taken over: every field in a fixed order, JSON-escaped. */
export function canonicalRecord(fields: AuditFields): string {
  return JSON.stringify([
    fields.seq,
    fields.at,
    fields.actor,
    fields.roles,
    fields.action,
    fields.route,
    fields.object,
    fields.result,
    fields.status,
    fields.source,
    fields.alg,
    fields.prevHash,
  ]);
}

/** The link of a record, chaining it to the one before (whose link is in `prevHash`); keyed links need the key. */
export function recordHash(fields: AuditFields, key: string): string {
  const text = canonicalRecord(fields);
  if (fields.alg.startsWith('hmac-')) return createHmac(fields.alg.slice('hmac-'.length), key).update(text, 'utf8').digest('hex');
  return createHash(fields.alg).update(text, 'utf8').digest('hex');
}

/** The MAC of the trail's head (its last record and link), so the tail cannot be cut back without the key. */
export function headMac(head: { seq: number; hash: string; keyedFrom: number | null }, hash: AuditHash, key: string): string {
  return createHmac(hash, key).update(JSON.stringify(['head', head.seq, head.hash, head.keyedFrom]), 'utf8').digest('hex');
}

/** Compares two hex MACs in constant time. */
export function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** What a checkpoint vouches for: the chain up to `seq` ends in `hash`, and everything before `firstSeq` was pruned. */
export interface CheckpointFields {
  /** Last record the checkpoint covers (0: none yet). */
  seq: number;
  hash: string;
  /** First record still kept when the checkpoint was signed. */
  firstSeq: number;
  /** The hash the record at `firstSeq` chains from (GENESIS_HASH when nothing was pruned). */
  firstPrevHash: string;
  at: string;
  reason: 'periodic' | 'prune' | 'shutdown';
  alg: AuditHash;
  /** From which record on every link is keyed; signed since the keyed chain (absent before). */
  keyedFrom?: number | null;
}

/** HMAC of a checkpoint with the configured key (HMAC-SM3 or HMAC-SHA-256, as the chain). */
export function checkpointMac(fields: CheckpointFields, key: string): string {
  return createHmac(fields.alg, key)
    .update(
      JSON.stringify([
        fields.seq,
        fields.hash,
        fields.firstSeq,
        fields.firstPrevHash,
        fields.at,
        fields.reason,
        fields.alg,
        // Checkpoints signed before the keyed chain keep the text they were signed over.
        ...(fields.keyedFrom === undefined || fields.keyedFrom === null ? [] : [fields.keyedFrom]),
      ]),
      'utf8',
    )
    .digest('hex');
}

export function macMatches(fields: CheckpointFields, key: string, mac: string): boolean {
  return sameMac(checkpointMac(fields, key), mac);
}
