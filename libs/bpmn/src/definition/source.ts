import { DefinitionTooLargeError, NotXmlError } from './errors';
import { MAX_DEFINITION_BYTES } from './limits';

/**
 * Turns uploaded bytes into XML text, refusing what cannot be a BPMN document before any
 * parser sees it: too large, binary, not UTF-8, or not starting like XML.
 */
export function decodeDefinitionSource(input: Uint8Array | string, limit = MAX_DEFINITION_BYTES): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (bytes.byteLength > limit) throw new DefinitionTooLargeError(bytes.byteLength, limit);
  if (bytes.includes(0)) throw new NotXmlError('it contains NUL bytes (a binary file?)');
  let textValue: string;
  try {
    textValue = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The declaration is ASCII in every encoding a BPMN file may carry, so it can be read before decoding.
    const declared = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(String.fromCharCode(...bytes.subarray(0, 300)))?.[1];
    if (declared && !/^utf-?8$/i.test(declared)) {
      throw new NotXmlError(`it is not valid UTF-8 text: it declares encoding "${declared}", which is read only when the file is plain ASCII; save it as UTF-8`);
    }
    throw new NotXmlError('it is not valid UTF-8 text');
  }
  textValue = textValue.replace(/^\uFEFF/, '');
  const start = textValue.trimStart();
  if (start === '') throw new NotXmlError('it is empty');
  if (!start.startsWith('<')) throw new NotXmlError('it does not start with an XML declaration or element');
  return textValue;
}
