import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { ExpressionError } from './feel-runtime';
import { formatDateTime, parseDateTime } from './time';
import { planTimerStart } from './timer-start';

const ZONE = 'Asia/Shanghai';
const at = (iso: string): number => parseDateTime(iso);
const show = (times: number[]): string[] => times.map((t) => formatDateTime(t, ZONE));
const context = (anchor: string) => ({ anchor: at(anchor), zone: ZONE, calendar: chineseDaysCalendar() });

describe('timer start events: when they fire', () => {
  it('a monthly cycle counts from the deployment, each firing from the one before (31 January, 28 February, 28 March)', () => {
    const plan = planTimerStart({ kind: 'cycle', value: 'R/P1M' }, context('2025-12-31T09:00:00+08:00'));
    expect(show(plan.firings(at('2025-12-31T09:00:00+08:00'), 4))).toEqual([
      '2026-01-31T09:00:00+08:00',
      '2026-02-28T09:00:00+08:00',
      '2026-03-28T09:00:00+08:00',
      '2026-04-28T09:00:00+08:00',
    ]);
    // After a firing, the next ones follow on from it.
    expect(show(plan.firings(at('2026-02-28T09:00:00+08:00'), 2))).toEqual(['2026-03-28T09:00:00+08:00', '2026-04-28T09:00:00+08:00']);
  });

  it('goes on from its last firing, however long it has run, and stops when its repetitions are used up', () => {
    const plan = planTimerStart({ kind: 'cycle', value: 'R/PT10S' }, context('2026-01-01T00:00:00+08:00'));
    const yearsLater = at('2029-06-01T00:00:00+08:00');
    expect(show(plan.firings(yearsLater, 2, { lastDue: yearsLater, fired: 9_000_000 }))).toEqual(['2029-06-01T00:00:10+08:00', '2029-06-01T00:00:20+08:00']);
    const bounded = planTimerStart({ kind: 'cycle', value: 'R5/PT1H' }, context('2026-01-01T00:00:00+08:00'));
    const fourth = at('2026-01-01T04:00:00+08:00');
    expect(show(bounded.firings(fourth, 5, { lastDue: fourth, fired: 4 }))).toEqual(['2026-01-01T05:00:00+08:00']);
    expect(bounded.firings(fourth + 3_600_000, 5, { lastDue: fourth + 3_600_000, fired: 5 })).toEqual([]);
  });

  it('a bounded cycle with a start date fires that many times from it, and then no more', () => {
    const plan = planTimerStart({ kind: 'cycle', value: 'R3/2026-10-01T09:00:00+08:00/P1M' }, context('2026-09-01T00:00:00+08:00'));
    expect(show(plan.firings(at('2026-09-01T00:00:00+08:00'), 10))).toEqual([
      '2026-10-01T09:00:00+08:00',
      '2026-11-01T09:00:00+08:00',
      '2026-12-01T09:00:00+08:00',
    ]);
    expect(plan.firings(at('2026-12-01T09:00:00+08:00'), 10)).toEqual([]);
  });

  it('a cron cycle fires at its times on the engine wall clock', () => {
    const plan = planTimerStart({ kind: 'cycle', value: '0 0 9 1 * ?' }, context('2026-01-15T10:00:00+08:00'));
    expect(show(plan.firings(at('2026-01-15T10:00:00+08:00'), 3))).toEqual(['2026-02-01T09:00:00+08:00', '2026-03-01T09:00:00+08:00', '2026-04-01T09:00:00+08:00']);
    const weekdays = planTimerStart({ kind: 'cycle', value: '0 30 8 ? * MON-FRI' }, context('2026-10-09T09:00:00+08:00'));
    expect(show(weekdays.firings(at('2026-10-09T09:00:00+08:00'), 2))).toEqual(['2026-10-12T08:30:00+08:00', '2026-10-13T08:30:00+08:00']);
  });

  it('a date fires once, at deployment when it has passed; a duration once, that long after deployment', () => {
    const future = planTimerStart({ kind: 'date', value: '2026-10-08T09:00:00' }, context('2026-10-01T09:00:00+08:00'));
    expect(show(future.firings(at('2026-10-01T09:00:00+08:00'), 5))).toEqual(['2026-10-08T09:00:00+08:00']);
    expect(future.firings(at('2026-10-08T09:00:00+08:00'), 5)).toEqual([]);
    const past = planTimerStart({ kind: 'date', value: '2026-01-01T09:00:00+08:00' }, context('2026-10-01T09:00:00.250+08:00'));
    expect(show(past.firings(at('2026-10-01T09:00:00+08:00'), 5))).toEqual(['2026-10-01T09:00:01+08:00']);
    const later = planTimerStart({ kind: 'duration', value: 'PT10S' }, context('2026-10-01T09:00:00+08:00'));
    expect(show(later.firings(at('2026-10-01T09:00:00+08:00'), 5))).toEqual(['2026-10-01T09:00:10+08:00']);
  });

  it('evaluates FEEL once, at deployment, with no variables (working days included)', () => {
    const plan = planTimerStart({ kind: 'date', value: '=add working days(today(), 10)' }, context('2026-09-28T09:00:00+08:00'));
    expect(plan.value).toBe('2026-10-16');
    expect(show(plan.firings(at('2026-09-28T09:00:00+08:00'), 1))).toEqual(['2026-10-16T00:00:00+08:00']);
  });

  it('refuses a value that is not a timer of its kind, naming the expression', () => {
    expect(() => planTimerStart({ kind: 'cycle', value: '=clueId' }, context('2026-09-28T09:00:00+08:00'))).toThrow(ExpressionError);
    expect(() => planTimerStart({ kind: 'cycle', value: 'every month' }, context('2026-09-28T09:00:00+08:00'))).toThrow(/not a cron expression/);
  });
});
