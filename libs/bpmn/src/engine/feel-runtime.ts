import { date, dateAndTime, evaluate } from 'feelin';
import { formatDateTime } from './time';

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

/** Variables as FEEL sees them, plus the engine clock for today() and now(). */
function contextFor(variables: Record<string, unknown>, now: number): Record<string, unknown> {
  const current = formatDateTime(now);
  return {
    ...variables,
    now: () => dateAndTime(current),
    today: () => date(current.slice(0, 10)),
  };
}

/** FEEL results as plain JSON (dates and durations become ISO strings). */
function toPlain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

/**
 * Evaluates a zeebe value: "=expr" is FEEL against the variables, anything else is the
 * literal string. FEEL's today() and now() read the engine clock, never the host's, so the
 * result is the same in the simulator, in a replayed workflow and in a forecast.
 */
export function evaluateValue(value: string, variables: Record<string, unknown>, now: number): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith('=')) return value;
  const expression = trimmed.slice(1);
  let result;
  try {
    result = evaluate(expression, contextFor(variables, now));
  } catch (error) {
    throw new ExpressionError(expression, error instanceof Error ? error.message : String(error));
  }
  const missing = result.warnings.find((w) => (w as { type?: string }).type === 'NO_VARIABLE_FOUND');
  if (missing && result.value === null) throw new ExpressionError(expression, (missing as { message: string }).message);
  return toPlain(result.value);
}

/** A condition: true only for FEEL true; null (unknown) counts as false. */
export function evaluateCondition(value: string, variables: Record<string, unknown>, now: number): boolean {
  const result = evaluateValue(value, variables, now);
  if (result !== true && result !== false && result !== null) {
    throw new ExpressionError(value, `a condition must be true or false, got ${JSON.stringify(result)}`);
  }
  return result === true;
}

/** A string-valued setting (task type, assignee, correlation key): FEEL result or literal, as text. */
export function evaluateText(value: string, variables: Record<string, unknown>, now: number): string {
  const result = evaluateValue(value, variables, now);
  if (typeof result === 'string') return result;
  if (typeof result === 'number' || typeof result === 'boolean') return String(result);
  throw new ExpressionError(value, `expected text, got ${JSON.stringify(result)}`);
}

/** A list-of-names setting (candidate groups/users): a FEEL list, or comma-separated text. */
export function evaluateList(value: string, variables: Record<string, unknown>, now: number): string[] {
  const result = evaluateValue(value, variables, now);
  if (Array.isArray(result)) return result.map((item) => String(item));
  if (typeof result === 'string') return result.split(',').map((item) => item.trim()).filter((item) => item !== '');
  throw new ExpressionError(value, `expected a list, got ${JSON.stringify(result)}`);
}
