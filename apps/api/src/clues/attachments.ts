import { createHash } from 'node:crypto';
import { InvalidRequestError } from '@xuncha/contracts';

/** The most bytes one attachment holds (10 MiB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The most attachments one clue is registered with. */
export const MAX_ATTACHMENTS = 5;
/** The most bytes the attachments of one registration hold together (20 MiB). */
export const MAX_ATTACHMENTS_TOTAL_BYTES = 20 * 1024 * 1024;
/** A registration's body: the attachments in base64 (4/3 of their bytes) and room for the rest. */
export const REGISTER_BODY_LIMIT_BYTES = Math.ceil((MAX_ATTACHMENTS_TOTAL_BYTES * 4) / 3) + 1024 * 1024;

/** The kinds of file a clue is registered with: scans (PDF, OFD, images) of the transfer letter and its annexes. */
export const ATTACHMENT_TYPES: Record<string, { label: string; matches: (head: Buffer) => boolean }> = {
  'application/pdf': { label: 'PDF', matches: (head) => head.subarray(0, 5).toString('latin1') === '%PDF-' },
  // OFD (GB/T 33190), the official layout format, is a ZIP package.
  'application/ofd': { label: 'OFD', matches: (head) => head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
  'image/jpeg': { label: 'JPEG', matches: (head) => head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
  'image/png': { label: 'PNG', matches: (head) => head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/tiff': {
    label: 'TIFF',
    matches: (head) => head.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || head.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a])),
  },
};

/** Base64 in whole groups of four (no nested repetition: a file's text may run to millions of characters). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** An attachment as given, before it is checked. */
export interface GivenAttachment {
  name: string;
  contentType: string;
  content: string;
}

/** An attachment checked and decoded. */
export interface CheckedAttachment {
  position: number;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/**
 * Decodes and checks a registration's attachments: a name without path or control characters,
 * a known type whose content is what the type says, base64 that decodes, not empty, within the
 * size limits. Each refusal names the attachment's field.
 */
export function checkAttachments(given: GivenAttachment[]): CheckedAttachment[] {
  let total = 0;
  return given.map((attachment, index) => {
    const field = (name: string) => `attachments[${index}].${name}`;
    const name = attachment.name.trim();
    // eslint-disable-next-line no-control-regex
    if (name === '' || /[\u0000-\u001f\u007f/\\]/.test(name)) {
      throw new InvalidRequestError(field('name'), `${field('name')} must be a file name without "/", "\\" or control characters`);
    }
    const type = ATTACHMENT_TYPES[attachment.contentType];
    if (!type) throw new InvalidRequestError(field('contentType'), `${field('contentType')} must be one of ${Object.keys(ATTACHMENT_TYPES).join(', ')}`);
    if (attachment.content.length % 4 !== 0 || !BASE64.test(attachment.content)) throw new InvalidRequestError(field('content'), `${field('content')} must be the file in base64`);
    const content = Buffer.from(attachment.content, 'base64');
    if (content.length === 0) throw new InvalidRequestError(field('content'), `${field('content')} is empty`);
    if (content.length > MAX_ATTACHMENT_BYTES) {
      throw new InvalidRequestError(field('content'), `${field('content')} holds ${content.length} bytes, more than ${MAX_ATTACHMENT_BYTES} (10 MiB)`);
    }
    total += content.length;
    if (total > MAX_ATTACHMENTS_TOTAL_BYTES) {
      throw new InvalidRequestError(field('content'), `the attachments hold more than ${MAX_ATTACHMENTS_TOTAL_BYTES} bytes (20 MiB) together`);
    }
    if (!type.matches(content)) throw new InvalidRequestError(field('content'), `${field('content')} is not a ${type.label} file, as contentType ${attachment.contentType} says`);
    return { position: index, name, contentType: attachment.contentType, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), content };
  });
}
