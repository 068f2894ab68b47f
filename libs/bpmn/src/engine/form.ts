// Checks submitted variables against a form-js schema (the JSON Camunda Modeler saves as a .form
// file): required fields, value types, enumerations and simple bounds. Pure, so the workflow's
// completion validator runs it and a refused completion never reaches the instance.

/** The part of a form-js component the check reads. */
export interface FormComponent {
  type: string;
  key?: string;
  path?: string;
  label?: string;
  subtype?: string;
  values?: Array<{ label?: string; value: unknown }>;
  validate?: { required?: boolean; min?: number; max?: number; minLength?: number; maxLength?: number; pattern?: string };
  components?: FormComponent[];
}

/** A form-js schema. */
export interface FormSchema {
  id?: string;
  type?: string;
  components: FormComponent[];
}

/**
 * Why one field of submitted variables does not fit the form. `code` is stable, for clients to
 * say in their own words; `limit` is the bound or pattern broken, where there is one.
 */
export interface FormProblem {
  field: string;
  code: FormProblemCode;
  message: string;
  limit?: number | string;
}

export type FormProblemCode =
  | 'required'
  | 'not-text'
  | 'too-short'
  | 'too-long'
  | 'pattern'
  | 'not-number'
  | 'too-small'
  | 'too-large'
  | 'not-boolean'
  | 'not-an-option'
  | 'not-a-list'
  | 'not-a-date'
  | 'not-a-time'
  | 'not-a-date-time';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?([+-]\d{2}:\d{2}|Z)?$/;
/** The time shape completions were checked against before hours and minutes were bounded. */
const LEGACY_TIME = /^\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?$/;

/** Whether YYYY-MM-DD names a day of the calendar (not 2026-02-30, not 2026-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function read(variables: Record<string, unknown>, path: string): unknown {
  let current: unknown = variables;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function describe(component: FormComponent, field: string): string {
  return component.label ? `${field} (${component.label})` : field;
}

type ValueProblem = Omit<FormProblem, 'field'>;

/** The problem with one present value, or null. */
function checkValue(component: FormComponent, field: string, value: unknown, asRecorded: boolean): ValueProblem | null {
  const rules = component.validate ?? {};
  const name = describe(component, field);
  const allowed = component.values?.map((option) => option.value);
  switch (component.type) {
    case 'textfield':
    case 'textarea':
      if (typeof value !== 'string') return { code: 'not-text', message: `${name} must be text, got ${JSON.stringify(value)}` };
      if (rules.minLength !== undefined && value.length < rules.minLength) return { code: 'too-short', limit: rules.minLength, message: `${name} must have at least ${rules.minLength} characters` };
      if (rules.maxLength !== undefined && value.length > rules.maxLength) return { code: 'too-long', limit: rules.maxLength, message: `${name} must have at most ${rules.maxLength} characters` };
      if (rules.pattern !== undefined && !new RegExp(rules.pattern).test(value)) return { code: 'pattern', limit: rules.pattern, message: `${name} must match ${rules.pattern}` };
      return null;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'not-number', message: `${name} must be a number, got ${JSON.stringify(value)}` };
      if (rules.min !== undefined && value < rules.min) return { code: 'too-small', limit: rules.min, message: `${name} must be at least ${rules.min}` };
      if (rules.max !== undefined && value > rules.max) return { code: 'too-large', limit: rules.max, message: `${name} must be at most ${rules.max}` };
      return null;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? null : { code: 'not-boolean', message: `${name} must be true or false, got ${JSON.stringify(value)}` };
    case 'radio':
    case 'select':
      if (allowed && allowed.length > 0 && !allowed.includes(value)) {
        return { code: 'not-an-option', message: `${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}` };
      }
      return null;
    case 'checklist':
    case 'taglist': {
      if (!Array.isArray(value)) return { code: 'not-a-list', message: `${name} must be a list, got ${JSON.stringify(value)}` };
      const stray = allowed && allowed.length > 0 ? value.find((item) => !allowed.includes(item)) : undefined;
      if (stray !== undefined) return { code: 'not-an-option', message: `${name} may hold only ${allowed!.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(stray)}` };
      return null;
    }
    case 'datetime': {
      const subtype = component.subtype ?? 'date';
      const code = subtype === 'date' ? 'not-a-date' : subtype === 'time' ? 'not-a-time' : 'not-a-date-time';
      if (typeof value !== 'string') return { code, message: `${name} must be a date or time as text, got ${JSON.stringify(value)}` };
      // A completion recorded before dates were checked against the calendar replays with the
      // rule it was accepted under (its shape only): running instances keep their history.
      const ok = asRecorded
        ? subtype === 'date'
          ? DATE.test(value)
          : subtype === 'time'
            ? LEGACY_TIME.test(value)
            : /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))
        : subtype === 'date'
          ? isCalendarDate(value)
          : subtype === 'time'
            ? TIME.test(value)
            : /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d/.test(value) && isCalendarDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
      return ok
        ? null
        : { code, message: `${name} must be a ${subtype === 'date' ? 'date (YYYY-MM-DD)' : subtype === 'time' ? 'time (HH:mm)' : 'date and time (ISO 8601)'}, got ${JSON.stringify(value)}` };
    }
    default:
      return null;
  }
}

/** Adds the problems of `components` to `found`, in the form's order; stops once `found` holds `limit`. */
function checkComponents(components: FormComponent[], variables: Record<string, unknown>, prefix: string, asRecorded: boolean, found: FormProblem[], limit: number): void {
  for (const component of components) {
    if (found.length >= limit) return;
    if (component.components && (component.type === 'group' || component.type === 'dynamiclist' || !component.key)) {
      const nested = component.path ? `${prefix}${component.path}.` : prefix;
      checkComponents(component.components, variables, nested, asRecorded, found, limit);
      continue;
    }
    if (!component.key) continue;
    const field = `${prefix}${component.key}`;
    const value = read(variables, field);
    if (isEmpty(value)) {
      if (component.validate?.required) found.push({ field, code: 'required', message: `${describe(component, field)} is required` });
      continue;
    }
    const problem = checkValue(component, field, value, asRecorded);
    if (problem) found.push({ field, ...problem });
  }
}

/** The first way `variables` fail the form, or null when they satisfy it. */
export function checkFormVariables(schema: FormSchema, variables: Record<string, unknown>, options: { asRecorded?: boolean } = {}): FormProblem | null {
  const found: FormProblem[] = [];
  checkComponents(schema.components ?? [], variables, '', options.asRecorded === true, found, 1);
  return found[0] ?? null;
}

/** Every way `variables` fail the form, one problem a field, in the form's order (empty when they satisfy it). */
export function formProblems(schema: FormSchema, variables: Record<string, unknown>): FormProblem[] {
  const found: FormProblem[] = [];
  checkComponents(schema.components ?? [], variables, '', false, found, Number.POSITIVE_INFINITY);
  return found;
}
