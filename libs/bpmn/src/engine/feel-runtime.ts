import type { WorkingCalendar } from '@xuncha/calendar';
import type * as Feelin from 'feelin';
import { formatDateTime } from './time';

let feelin: typeof Feelin | undefined;

/**
 * The FEEL interpreter, loaded with the first expression evaluated. A workflow sandbox runs the
 * modules it loads once for every instance, and the parser's tables are the costliest of them;
 * an instance whose model has no expression to evaluate then never pays for them.
 */
function feel(): typeof Feelin {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  feelin ??= require('feelin') as typeof Feelin;
  return feelin;
}

/**
 * What an expression sees besides its variables: the engine clock (today(), now()) and the
 * working-day calendar of the instance (null when it has none: the working-day functions then
 * raise an incident rather than guess).
 */
export interface FeelEnv {
  now: number;
  calendar: WorkingCalendar | null;
  /** The instance's time zone: now() and today() are read on its wall clock. */
  zone: string;
}

/** An expression could not be evaluated; becomes an incident naming the element and expression. */
export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`Cannot evaluate "${expression}": ${reason}`);
    this.name = 'ExpressionError';
  }
}

/** Functions the engine adds to FEEL; expressions are parsed knowing them (`between` alone is a FEEL keyword). */
export const ENGINE_FEEL_FUNCTIONS = ['add working days', 'working days between', 'is working day'] as const;

/** A FEEL date, date-and-time or ISO text as its calendar date and, for date-times, the rest ("T09:00:00+08:00"). */
function splitDate(value: unknown, parameter: string): { date: string; rest: string | null } {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(JSON.parse(JSON.stringify(value)));
  const match = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(text);
  if (!match) throw new Error(`${parameter} must be a date or date and time, got ${JSON.stringify(value ?? null)}`);
  return { date: match[1]!, rest: match[2] ?? null };
}

/** The same kind of value as the input: a date for a date, a date and time (same time of day) for a date-time. */
function likeInput(input: { rest: string | null }, result: string): unknown {
  return input.rest === null ? feel().date(result) : feel().dateAndTime(`${result}${input.rest}`);
}

/**
 * The working-day functions, named as FEEL names them. A failure inside one is kept in
 * `failure` (FEEL itself would turn it into null and carry on) so the caller raises it.
 */
function workingDayFunctions(env: FeelEnv, failure: { error?: Error }): Record<string, unknown> {
  const guarded =
    <A extends unknown[]>(name: string, body: (calendar: WorkingCalendar, ...args: A) => unknown) =>
    (...args: A): unknown => {
      try {
        if (!env.calendar) throw new Error('this instance has no working-day calendar');
        return body(env.calendar, ...args);
      } catch (error) {
        failure.error ??= new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };
  return {
    'add working days': guarded('add working days', (calendar, from: unknown, n: unknown) => {
      const start = splitDate(from, 'the date');
      if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`the number of days must be a whole number, got ${JSON.stringify(n ?? null)}`);
      return likeInput(start, calendar.addWorkingDays(start.date, n));
    }),
    'working days between': guarded('working days between', (calendar, from: unknown, to: unknown) =>
      calendar.workingDaysBetween(splitDate(from, 'the first date').date, splitDate(to, 'the second date').date),
    ),
    'is working day': guarded('is working day', (calendar, day: unknown) => calendar.isWorkingDay(splitDate(day, 'the date').date)),
  };
}

/** Variables as FEEL sees them, plus the engine clock for today() and now() and the working-day functions. */
function contextFor(variables: Record<string, unknown>, env: FeelEnv, failure: { error?: Error }): Record<string, unknown> {
  const current = formatDateTime(env.now, env.zone);
  return {
    ...variables,
    now: () => feel().dateAndTime(`${current.slice(0, 19)}@${env.zone}`),
    today: () => feel().date(current.slice(0, 10)),
    ...workingDayFunctions(env, failure),
  };
}

/**
 * FEEL results as plain JSON (dates and durations become ISO strings). A date-time in a named
 * zone keeps FEEL's own text, 2026-10-01T09:00:00@Asia/Shanghai, which FEEL reads back as the
 * same zoned value (ISO's bracketed form it would read as a local date-time).
 */
function toPlain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

/**
 * Evaluates a zeebe value: "=expr" is FEEL against the variables, anything else is the
 * literal string. FEEL's today() and now() read the engine clock, never the host's, and the
 * working-day functions read the calendar the instance carries, so the result is the same in
 * the simulator, in a replayed workflow and in a forecast.
 */
export function evaluateValue(value: string, variables: Record<string, unknown>, env: FeelEnv): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith('=')) return value;
  const expression = trimmed.slice(1);
  const failure: { error?: Error } = {};
  let result;
  try {
    result = feel().evaluate(expression, contextFor(variables, env, failure));
  } catch (error) {
    throw new ExpressionError(expression, error instanceof Error ? error.message : String(error));
  }
  if (failure.error) throw new ExpressionError(expression, failure.error.message);
  const missing = result.warnings.find((w) => (w as { type?: string }).type === 'NO_VARIABLE_FOUND');
  if (missing && result.value === null) throw new ExpressionError(expression, (missing as { message: string }).message);
  return toPlain(result.value);
}

/** A condition: true only for FEEL true; null (unknown) counts as false. */
export function evaluateCondition(value: string, variables: Record<string, unknown>, env: FeelEnv): boolean {
  const result = evaluateValue(value, variables, env);
  if (result !== true && result !== false && result !== null) {
    throw new ExpressionError(value, `a condition must be true or false, got ${JSON.stringify(result)}`);
  }
  return result === true;
}

/** A string-valued setting (task type, assignee, correlation key): FEEL result or literal, as text. */
export function evaluateText(value: string, variables: Record<string, unknown>, env: FeelEnv): string {
  const result = evaluateValue(value, variables, env);
  if (typeof result === 'string') return result;
  if (typeof result === 'number' || typeof result === 'boolean') return String(result);
  throw new ExpressionError(value, `expected text, got ${JSON.stringify(result)}`);
}

/** A list-of-names setting (candidate groups/users): a FEEL list, or comma-separated text. */
export function evaluateList(value: string, variables: Record<string, unknown>, env: FeelEnv): string[] {
  const result = evaluateValue(value, variables, env);
  if (Array.isArray(result)) return result.map((item) => String(item));
  if (typeof result === 'string') return result.split(',').map((item) => item.trim()).filter((item) => item !== '');
  throw new ExpressionError(value, `expected a list, got ${JSON.stringify(result)}`);
}
