import { parseDuration } from '@xuncha/bpmn-engine';
import type { ValidationOptions } from 'class-validator';
import { ValidateBy } from 'class-validator';

/** The longest duration any request may name: a century, far beyond any round, clue or reminder. */
export const MAX_DURATION_SECONDS = 100 * 366 * 86_400;

/** A duration's length in seconds, months counted as 31 days and years as 366: an upper bound. */
function upperBoundSeconds(text: string): number {
  const { years, months, weeks, days, hours, minutes, seconds } = parseDuration(text);
  return ((years * 366 + months * 31 + weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds;
}

/** An ISO-8601 duration as the engine reads it (P7D, P1Y, PT3S), checked by the engine's own parser, at most a century. */
export function IsIsoDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDuration',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string') return false;
          try {
            const length = upperBoundSeconds(value);
            return Number.isFinite(length) && length <= MAX_DURATION_SECONDS;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 duration such as P7D, at most a century (P100Y)`,
      },
    },
    options,
  );
}
