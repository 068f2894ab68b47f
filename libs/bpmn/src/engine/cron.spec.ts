import { CronSyntaxError, isCron, nextCronTime, nextCronTimes, parseCron } from './cron';
import { formatDateTime, parseDateTime } from './time';

const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string): number => parseDateTime(iso);
const next = (cron: string, after: string, zone = SHANGHAI, count = 1): string[] =>
  nextCronTimes(parseCron(cron), at(after), zone, count).map((time) => formatDateTime(time, zone));

describe('cron expressions (Spring syntax, as Camunda 8 reads them)', () => {
  it.each([
    ['weekdays at 09:00, across a weekend', '0 0 9 * * MON-FRI', '2026-10-09T10:00:00+08:00', ['2026-10-12T09:00:00+08:00', '2026-10-13T09:00:00+08:00']],
    ['the first of every month', '0 0 9 1 * ?', '2026-01-15T00:00:00+08:00', ['2026-02-01T09:00:00+08:00', '2026-03-01T09:00:00+08:00']],
    ['the last day of every month', '0 30 8 L * ?', '2026-01-31T09:00:00+08:00', ['2026-02-28T08:30:00+08:00', '2026-03-31T08:30:00+08:00']],
    ['three days before the month ends', '0 0 9 L-3 * ?', '2026-02-01T00:00:00+08:00', ['2026-02-25T09:00:00+08:00']],
    ['the weekday nearest the 15th', '0 0 9 15W * ?', '2026-08-01T00:00:00+08:00', ['2026-08-14T09:00:00+08:00', '2026-09-15T09:00:00+08:00']],
    ['the last weekday of the month', '0 0 17 LW * ?', '2026-05-01T00:00:00+08:00', ['2026-05-29T17:00:00+08:00']],
    ['the first Monday of the month', '0 0 9 ? * MON#1', '2026-06-02T00:00:00+08:00', ['2026-07-06T09:00:00+08:00', '2026-08-03T09:00:00+08:00']],
    ['the last Friday of the month', '0 0 16 ? * 5L', '2026-06-01T00:00:00+08:00', ['2026-06-26T16:00:00+08:00']],
    ['Sunday as 0 and as 7', '0 0 8 ? * 0,7', '2026-10-01T00:00:00+08:00', ['2026-10-04T08:00:00+08:00', '2026-10-11T08:00:00+08:00']],
    ['every fifteen seconds', '*/15 * * * * *', '2026-10-01T09:00:07+08:00', ['2026-10-01T09:00:15+08:00', '2026-10-01T09:00:30+08:00']],
    ['steps from a value, in a range', '0 10-50/20 9 * * *', '2026-10-01T09:11:00+08:00', ['2026-10-01T09:30:00+08:00', '2026-10-01T09:50:00+08:00', '2026-10-02T09:10:00+08:00']],
    ['month names', '0 0 0 1 JAN,JUL ?', '2026-02-01T00:00:00+08:00', ['2026-07-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00']],
    ['@daily', '@daily', '2026-10-01T09:00:00+08:00', ['2026-10-02T00:00:00+08:00']],
    ['@hourly', '@hourly', '2026-10-01T09:00:00+08:00', ['2026-10-01T10:00:00+08:00']],
    ['strictly after the given instant', '0 0 9 * * *', '2026-10-01T09:00:00+08:00', ['2026-10-02T09:00:00+08:00']],
  ])('%s: %s', (_what, cron, after, expected) => {
    expect(next(cron, after, SHANGHAI, expected.length)).toEqual(expected);
  });

  it('fires on the wall clock of the engine zone, not on holidays it knows nothing of', () => {
    // National Day: cron does not move off holidays by itself (the working-day functions do that).
    expect(next('0 0 9 * * MON-FRI', '2026-09-30T10:00:00+08:00', SHANGHAI, 2)).toEqual(['2026-10-01T09:00:00+08:00', '2026-10-02T09:00:00+08:00']);
    // Midnight in Shanghai is noon the day before in New York: the next 09:00 there is the next morning.
    expect(next('0 0 9 * * *', '2026-10-01T00:00:00+08:00', 'America/New_York')).toEqual(['2026-10-01T09:00:00-04:00']);
  });

  it('keeps the wall time across daylight saving time, and fires a skipped wall time when the clock jumps', () => {
    const ny = 'America/New_York';
    expect(nextCronTimes(parseCron('0 0 9 * * *'), at('2026-03-07T10:00:00-05:00'), ny, 2).map((t) => formatDateTime(t, ny))).toEqual([
      '2026-03-08T09:00:00-04:00',
      '2026-03-09T09:00:00-04:00',
    ]);
    expect(nextCronTimes(parseCron('0 30 2 * * *'), at('2026-03-07T12:00:00-05:00'), ny, 2).map((t) => formatDateTime(t, ny))).toEqual([
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
  });

  it('answers null for a date that never comes', () => {
    expect(nextCronTime(parseCron('0 0 9 31 2 ?'), at('2026-01-01T00:00:00+08:00'), SHANGHAI)).toBeNull();
  });

  it.each([
    ['0 0 9 * *', /expected six fields/],
    ['0 61 * * * *', /minute "61" is not between 0 and 59/],
    ['0 0 25 * * *', /hour "25"/],
    ['0 0 9 * FOO *', /month "FOO"/],
    ['0 0 9 ? * MON#6', /day of week/],
    ['0 0 9 10-1 * ?', /runs backwards/],
    ['R/P1D', /expected six fields/],
  ])('refuses %s naming the field', (cron, message) => {
    expect(() => parseCron(cron)).toThrow(CronSyntaxError);
    expect(() => parseCron(cron)).toThrow(message);
    expect(isCron(cron)).toBe(false);
  });
});
