import type { AppConfig } from '@xuncha/config';
import type { VirtualClock } from '@xuncha/contracts';
import { InvalidRequestError } from '@xuncha/contracts';
import type { VirtualClockDto } from './process-instances.dto';

/** The virtual clock a start asks for (TEST_CLOCK=1 only; refused otherwise), or undefined for real time. */
export function virtualClockOf(requested: VirtualClockDto | undefined, config: AppConfig): VirtualClock | undefined {
  if (!requested) return undefined;
  if (!config.testClock) throw new InvalidRequestError('virtualClock', 'virtualClock is available only when the server runs with TEST_CLOCK=1, never in production');
  const now = Date.parse(requested.now);
  return { now, horizon: now, scale: requested.scale ?? 1_000_000_000 };
}
