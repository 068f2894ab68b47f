import { createHash } from 'node:crypto';
import type { AuditFields, CheckpointFields } from './audit-chain';
import { canonicalRecord, checkpointMac, GENESIS_HASH, macMatches, recordHash } from './audit-chain';

const RECORD: AuditFields = {
  seq: 1,
  at: '2026-12-03T01:02:03.456Z',
  actor: 'wang.fang',
  roles: ['commission-case-office'],
  action: 'POST /tasks/:id/complete',
  route: 'POST /tasks/:id/complete',
  object: '/tasks/abc/complete',
  result: 'success',
  status: 200,
  source: '127.0.0.1',
  alg: 'sm3',
  prevHash: GENESIS_HASH,
};

describe('the audit chain', () => {
  it('hashes a record with SM3 by default and SHA-256 when asked, over every field', () => {
    const sm3 = recordHash(RECORD);
    const sha = recordHash({ ...RECORD, alg: 'sha256' });
    expect(sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3).not.toBe(sha);
    for (const [field, value] of Object.entries({ seq: 2, at: '2026-12-03T01:02:03.457Z', actor: 'x', roles: [], action: 'y', route: null, object: null, result: 'denied', status: 403, source: null, prevHash: '1'.repeat(64) })) {
      expect([field, recordHash({ ...RECORD, [field]: value })]).not.toEqual([field, sm3]);
    }
  });

  it('keeps fields apart in the hashed text, so moving text between fields changes the hash', () => {
    expect(canonicalRecord({ ...RECORD, actor: 'a,b', action: 'c' })).not.toBe(canonicalRecord({ ...RECORD, actor: 'a', action: 'b,c' }));
  });

  it('matches the SM3 test vector of GB/T 32905 through Node', () => {
    // The standard's first example: SM3("abc").
    expect(createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('signs checkpoints with the key; another key or a changed field fails', () => {
    const checkpoint: CheckpointFields = { seq: 10, hash: 'a'.repeat(64), firstSeq: 1, firstPrevHash: GENESIS_HASH, at: '2026-12-03T00:00:00.000Z', reason: 'periodic', alg: 'sm3' };
    const mac = checkpointMac(checkpoint, 'k'.repeat(32));
    expect(macMatches(checkpoint, 'k'.repeat(32), mac)).toBe(true);
    expect(macMatches(checkpoint, 'j'.repeat(32), mac)).toBe(false);
    expect(macMatches({ ...checkpoint, seq: 9 }, 'k'.repeat(32), mac)).toBe(false);
    expect(macMatches(checkpoint, 'k'.repeat(32), 'zz')).toBe(false);
  });
});
