import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** Metadata encoding of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const CIPHER_KEY = 'encryption-cipher';
const KEY_ID_KEY = 'encryption-key-id';

/** AES-256-GCM, or SM4-CTR with HMAC-SM3 (encrypt-then-MAC) where national algorithms are required: Node's SM4 has no GCM. */
export type PayloadCipher = 'aes-256-gcm' | 'sm4-ctr-hmac-sm3';

/** Keys by id; the current one encrypts, every one decrypts (rotation keeps old histories readable). */
export interface PayloadKeys {
  cipher: PayloadCipher;
  currentKeyId: string;
  /** AES-256-GCM: 32 bytes. SM4-CTR with HMAC-SM3: 32 bytes, the first 16 encrypt and the last 16 authenticate. */
  keys: Record<string, Buffer>;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined): string => (bytes ? new TextDecoder().decode(bytes) : '');

/** A payload that cannot be decrypted: an unknown key id, or content that fails its authentication. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

function seal(cipher: PayloadCipher, key: Buffer, plain: Buffer, aad: Buffer): Buffer {
  if (cipher === 'aes-256-gcm') {
    const iv = randomBytes(12);
    const encryptor = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    encryptor.setAAD(aad);
    const body = Buffer.concat([encryptor.update(plain), encryptor.final()]);
    return Buffer.concat([iv, body, encryptor.getAuthTag()]);
  }
  const iv = randomBytes(16);
  const encryptor = createCipheriv('sm4-ctr', key.subarray(0, 16), iv);
  const body = Buffer.concat([encryptor.update(plain), encryptor.final()]);
  const mac = createHmac('sm3', key.subarray(16)).update(aad).update(iv).update(body).digest();
  return Buffer.concat([iv, body, mac]);
}

function open(cipher: PayloadCipher, key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  try {
    if (cipher === 'aes-256-gcm') {
      if (sealed.length < 12 + 16) throw new Error('too short for its IV and tag');
      const iv = sealed.subarray(0, 12);
      const tag = sealed.subarray(sealed.length - 16);
      const decryptor = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      decryptor.setAAD(aad);
      decryptor.setAuthTag(tag);
      return Buffer.concat([decryptor.update(sealed.subarray(12, sealed.length - 16)), decryptor.final()]);
    }
    if (sealed.length < 16 + 32) throw new Error('too short for its IV and MAC');
    const iv = sealed.subarray(0, 16);
    const body = sealed.subarray(16, sealed.length - 32);
    const mac = sealed.subarray(sealed.length - 32);
    const expected = createHmac('sm3', key.subarray(16)).update(aad).update(iv).update(body).digest();
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new Error('authentication failed');
    const decryptor = createDecipheriv('sm4-ctr', key.subarray(0, 16), iv);
    return Buffer.concat([decryptor.update(body), decryptor.final()]);
  } catch (error) {
    throw new PayloadDecryptionError(`a payload could not be decrypted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Encrypts every payload Temporal stores (workflow and activity inputs and results, signals,
 * updates, queries, memos, failure details) so its history holds no readable business data.
 * A payload without the encrypted encoding is passed through: histories recorded before
 * encryption, and replayed ones, still decode.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly settings: PayloadKeys) {
    const current = settings.keys[settings.currentKeyId];
    if (!current) throw new Error(`the current payload key "${settings.currentKeyId}" is not among the keys`);
    for (const [id, key] of Object.entries(settings.keys)) if (key.length !== 32) throw new Error(`payload key "${id}" must be 32 bytes, not ${key.length}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { cipher, currentKeyId } = this.settings;
    const key = this.settings.keys[currentKeyId]!;
    return payloads.map((payload) => {
      const plain = Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish());
      return {
        metadata: { encoding: utf8(ENCRYPTED_ENCODING), [CIPHER_KEY]: utf8(cipher), [KEY_ID_KEY]: utf8(currentKeyId) },
        data: seal(cipher, key, plain, Buffer.from(`${cipher}:${currentKeyId}`)),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const cipher = text(payload.metadata?.[CIPHER_KEY]) as PayloadCipher;
      const keyId = text(payload.metadata?.[KEY_ID_KEY]);
      const key = this.settings.keys[keyId];
      if (!key) throw new PayloadDecryptionError(`a payload is encrypted with key "${keyId}", which this process does not hold`);
      if (cipher !== 'aes-256-gcm' && cipher !== 'sm4-ctr-hmac-sm3') throw new PayloadDecryptionError(`a payload names an unknown cipher "${cipher}"`);
      const plain = open(cipher, key, Buffer.from(payload.data ?? new Uint8Array()), Buffer.from(`${cipher}:${keyId}`));
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The module the workflow bundle and every worker load their failure converter from. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter of every client and worker: encrypted payloads, and failure messages and stacks encoded with them. */
export function encryptedDataConverter(keys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
