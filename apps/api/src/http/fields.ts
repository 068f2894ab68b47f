import { dayNumber } from '@xuncha/calendar';
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
