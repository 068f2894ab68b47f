import { parseDuration } from '@xuncha/bpmn-engine';
import type { ValidationOptions } from 'class-validator';
import { ValidateBy } from 'class-validator';

/** An ISO-8601 duration as the engine reads it (P7D, P1Y, PT3S), checked by the engine's own parser. */
export function IsIsoDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDuration',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string') return false;
          try {
            parseDuration(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO-8601 duration such as P7D`,
      },
    },
    options,
  );
}
