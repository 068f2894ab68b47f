import { createHash } from 'node:crypto';
import type { AuditFields, CheckpointFields } from './audit-chain';
import { canonicalRecord, checkpointMac, GENESIS_HASH, headMac, macMatches, recordHash, sameMac } from './audit-chain';

const KEY = 'k'.repeat(32);

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
    const sm3 = recordHash(RECORD, KEY);
    const sha = recordHash({ ...RECORD, alg: 'sha256' }, KEY);
    expect(sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3).not.toBe(sha);
    for (const [field, value] of Object.entries({ seq: 2, at: '2026-12-03T01:02:03.457Z', actor: 'x', roles: [], action: 'y', route: null, object: null, result: 'denied', status: 403, source: null, prevHash: '1'.repeat(64) })) {
      expect([field, recordHash({ ...RECORD, [field]: value }, KEY)]).not.toEqual([field, sm3]);
    }
    // A plain link does not depend on the key: records written before the keyed chain still verify.
    expect(recordHash(RECORD, 'another-key')).toBe(sm3);
  });

  it('keys the links of records written now, so without the key nobody makes a record that verifies', () => {
    const keyed = recordHash({ ...RECORD, alg: 'hmac-sm3' }, KEY);
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(recordHash(RECORD, KEY));
    expect(recordHash({ ...RECORD, alg: 'hmac-sm3' }, 'j'.repeat(32))).not.toBe(keyed);
    expect(recordHash({ ...RECORD, alg: 'hmac-sha256' }, KEY)).not.toBe(keyed);
  });

  it("signs the trail's head with the key", () => {
    const head = { seq: 7, hash: 'a'.repeat(64), keyedFrom: 3 };
    const mac = headMac(head, 'sm3', KEY);
    expect(sameMac(mac, headMac({ ...head }, 'sm3', KEY))).toBe(true);
    expect(sameMac(mac, headMac({ ...head, seq: 6 }, 'sm3', KEY))).toBe(false);
    expect(sameMac(mac, headMac({ ...head, keyedFrom: 9 }, 'sm3', KEY))).toBe(false);
    expect(sameMac(mac, headMac(head, 'sm3', 'j'.repeat(32)))).toBe(false);
    expect(sameMac(mac, '')).toBe(false);
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
    // Since the keyed chain a checkpoint signs where it began; one signed before verifies as it was.
    const keyed = { ...checkpoint, keyedFrom: 4 };
    const keyedMac = checkpointMac(keyed, 'k'.repeat(32));
    expect(keyedMac).not.toBe(mac);
    expect(macMatches({ ...keyed, keyedFrom: null }, 'k'.repeat(32), keyedMac)).toBe(false);
    expect(macMatches({ ...checkpoint, keyedFrom: null }, 'k'.repeat(32), mac)).toBe(true);
  });
});
