// ISO-8601 timer values as Zeebe accepts them: a date-time, a duration, or a repeating interval.

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})(\[[A-Za-z_]+\/[A-Za-z_]+\])?$/;

/** Whether `value` is an ISO-8601 duration such as P6M, PT1H or P1DT2H. */
export function isIsoDuration(value: string): boolean {
  return DURATION.test(value);
}

/** Whether `value` is an ISO-8601 date-time with an offset, e.g. 2026-10-01T09:00:00+08:00. */
export function isIsoDateTime(value: string): boolean {
  if (!DATE_TIME.test(value)) return false;
  return !Number.isNaN(Date.parse(value.replace(/\[.*\]$/, '')));
}

/** Whether `value` is an ISO-8601 repeating interval: R/P6M, R3/PT1H, R3/2026-01-01T00:00:00Z/P1D. */
export function isIsoCycle(value: string): boolean {
  const parts = value.split('/');
  const repeat = parts[0];
  if (!repeat || !/^R\d*$/.test(repeat)) return false;
  if (parts.length === 2) return isIsoDuration(parts[1] ?? '');
  if (parts.length === 3) return isIsoDateTime(parts[1] ?? '') && isIsoDuration(parts[2] ?? '');
  return false;
}
