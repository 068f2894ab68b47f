import { createHash } from 'node:crypto';

/**
 * A stable instance id (shaped as a UUID) for what started an instance — a message, a timer
 * firing — within a process, so a retried start finds the instance it started before.
 */
export function stableInstanceId(processId: string, origin: string): string {
  const hex = createHash('sha256').update(`${processId}\u0000${origin}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
