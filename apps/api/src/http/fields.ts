import type { PipeTransform } from '@nestjs/common';
import { dayNumber } from '@xuncha/calendar';
import type { ValidationOptions } from 'class-validator';
import { ValidateBy } from 'class-validator';
import { InvalidRequestError } from '@xuncha/contracts';

/** A calendar date as YYYY-MM-DD (its shape; {@link dateField} checks that the day exists). */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The id of a unit of the directory: lower-case letters, digits and "-". */
export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A date field as a day number, or a refusal naming the field when the day does not exist (2026-02-30). */
export function dateField(field: string, value: string): number {
  try {
    return dayNumber(value);
  } catch {
    throw new InvalidRequestError(field, `${field} must be a calendar date (YYYY-MM-DD), got "${value}"`);
  }
}

/** An integer path parameter within its range, or 400 naming it (ParseIntPipe takes -1 and 10^20 alike). */
export class IntegerParam implements PipeTransform<unknown, number> {
  constructor(
    private readonly name: string,
    private readonly min: number,
    private readonly max: number,
  ) {}

  /** Takes the text of the path, or the number the global validation pipe already made of it. */
  transform(value: unknown): number {
    const text = String(value);
    if (!/^-?\d{1,16}$/.test(text) || Number(text) < this.min || Number(text) > this.max) {
      throw new InvalidRequestError(this.name, `${this.name} must be a whole number from ${this.min} to ${this.max}, got "${text.slice(0, 40)}"`);
    }
    return Number(text);
  }
}

/** The years the working-day calendar may hold. */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;

/** A calendar year path parameter. */
export const yearParam = (): IntegerParam => new IntegerParam('year', CALENDAR_YEARS.min, CALENDAR_YEARS.max);

/** A definition version path parameter. */
export const versionParam = (): IntegerParam => new IntegerParam('version', 1, 2_147_483_647);

/** A calendar date as YYYY-MM-DD that exists (not 2026-02-30, not 9999-99-99), as a validation decorator. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
          try {
            dayNumber(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a calendar date (YYYY-MM-DD)`,
      },
    },
    options,
  );
}

/**
 * An instant as ISO 8601 calendar date and time (2026-10-17T00:00:00+08:00) that names a real
 * moment: week and ordinal dates, which the ISO rule allows but Date cannot read, are refused.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return false;
          try {
            dayNumber(value.slice(0, 10));
          } catch {
            return false;
          }
          return !Number.isNaN(Date.parse(value));
        },
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an ISO 8601 date and time such as 2026-10-17T00:00:00+08:00`,
      },
    },
    options,
  );
}
