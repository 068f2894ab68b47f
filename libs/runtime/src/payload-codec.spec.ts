import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import type { PayloadKeys } from './payload-codec';
import { ENCRYPTED_ENCODING, EncryptionCodec, PayloadDecryptionError } from './payload-codec';

const SECRET = { suspect: '张三', amount: 123456, note: '收受礼金' };
const plain = (): Payload => defaultPayloadConverter.toPayload(SECRET)!;
const keys = (cipher: PayloadKeys['cipher'], ...ids: string[]): PayloadKeys => ({
  cipher,
  currentKeyId: ids[0]!,
  keys: Object.fromEntries(ids.map((id) => [id, randomBytes(32)])),
});

describe('the payload codec', () => {
  it.each(['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const)('encrypts with %s so nothing readable is left, and decrypts to the same payload', async (cipher) => {
    const codec = new EncryptionCodec(keys(cipher, 'k1'));
    const [sealed] = await codec.encode([plain()]);
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    const bytes = Buffer.from(sealed!.data!);
    for (const text of ['张三', '收受礼金', '123456', 'suspect']) expect(bytes.includes(Buffer.from(text))).toBe(false);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(SECRET);
  });

  it('passes plain payloads through, so histories recorded before encryption still decode', async () => {
    const codec = new EncryptionCodec(keys('aes-256-gcm', 'k1'));
    const [passed] = await codec.decode([plain()]);
    expect(defaultPayloadConverter.fromPayload(passed!)).toEqual(SECRET);
  });

  it('decrypts what an older key encrypted after rotation, and refuses a key it does not hold', async () => {
    const before = keys('aes-256-gcm', 'k1');
    const [old] = await new EncryptionCodec(before).encode([plain()]);
    const rotated: PayloadKeys = { cipher: 'aes-256-gcm', currentKeyId: 'k2', keys: { k2: randomBytes(32), k1: before.keys.k1! } };
    const codec = new EncryptionCodec(rotated);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([old!]))[0]!)).toEqual(SECRET);
    const [fresh] = await codec.encode([plain()]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe('k2');
    await expect(new EncryptionCodec(keys('aes-256-gcm', 'k3')).decode([fresh!])).rejects.toThrow(/key "k2"/);
  });

  it.each(['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const)('detects a payload altered in the history (%s)', async (cipher) => {
    const codec = new EncryptionCodec(keys(cipher, 'k1'));
    const [sealed] = await codec.encode([plain()]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 0x01;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });

  it('refuses keys of the wrong length and a current key it does not have', () => {
    expect(() => new EncryptionCodec({ cipher: 'aes-256-gcm', currentKeyId: 'a', keys: { a: randomBytes(16) } })).toThrow(/32 bytes/);
    expect(() => new EncryptionCodec({ cipher: 'aes-256-gcm', currentKeyId: 'b', keys: { a: randomBytes(32) } })).toThrow(/not among the keys/);
  });

  it.each(['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as const)('refuses a payload too short to hold its IV and tag (%s)', async (cipher) => {
    const codec = new EncryptionCodec(keys(cipher, 'k1'));
    const [sealed] = await codec.encode([plain()]);
    await expect(codec.decode([{ ...sealed!, data: Buffer.from(sealed!.data!).subarray(0, 20) }])).rejects.toThrow(/too short/);
  });
});
