import { PayloadTooLargeError } from '@xuncha/contracts';

/** Largest variables object an instance start, a message or a variables update may carry, as JSON bytes. */
export const MAX_VARIABLES_BYTES = 256 * 1024;

/** Refuses variables larger than {@link MAX_VARIABLES_BYTES}, naming the field. */
export function checkVariables(field: string, variables: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(variables), 'utf8');
  if (bytes > MAX_VARIABLES_BYTES) throw new PayloadTooLargeError(field, bytes, MAX_VARIABLES_BYTES);
}
