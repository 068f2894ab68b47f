import { WorkingCalendar } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { feelSyntaxError } from '../definition/feel';
import type { FeelEnv } from './feel-runtime';
import { evaluateCondition, evaluateValue } from './feel-runtime';
import { parseDateTime } from './time';

const NOW = parseDateTime('2026-09-28T09:00:00+08:00');
const env = (): FeelEnv => ({ now: NOW, calendar: new WorkingCalendar(chineseDaysCalendar()), zone: "Asia/Shanghai" });

describe('FEEL working-day functions', () => {
  it('add working days keeps the kind of its input: a date gives a date, a date-time the same time of day', () => {
    expect(evaluateValue('=add working days(today(), 10)', {}, env())).toBe('2026-10-16');
    expect(evaluateValue('=add working days(now(), 10)', {}, env())).toBe('2026-10-16T09:00:00@Asia/Shanghai');
    expect(evaluateValue('=add working days(date("2026-10-16"), -10)', {}, env())).toBe('2026-09-28');
    expect(evaluateValue('=add working days(received, days)', { received: '2026-09-30', days: 3 }, env())).toBe('2026-10-10');
  });

  it('working days between counts the days after the first up to the second', () => {
    expect(evaluateValue('=working days between(date("2026-09-28"), date("2026-10-16"))', {}, env())).toBe(10);
    expect(evaluateValue('=working days between(date("2026-10-16"), today())', {}, env())).toBe(-10);
    expect(evaluateValue('=working days between(date("2026-10-01"), date("2026-10-07"))', {}, env())).toBe(0);
  });

  it('is working day reads holidays and swapped weekends, usable in conditions', () => {
    expect(evaluateCondition('=is working day(date("2026-10-05"))', {}, env())).toBe(false);
    expect(evaluateCondition('=is working day(date("2026-10-10"))', {}, env())).toBe(true);
    expect(evaluateCondition('=not(is working day(today()))', {}, env())).toBe(false);
    expect(evaluateCondition('=is working day(due) and x > 1', { due: '2026-10-09T17:00:00+08:00', x: 2 }, env())).toBe(true);
  });

  it('raises instead of answering null: bad arguments and a missing calendar name the function', () => {
    expect(() => evaluateValue('=add working days(today(), 1.5)', {}, env())).toThrow(/add working days: the number of days must be a whole number, got 1.5/);
    expect(() => evaluateValue('=add working days("next week", 1)', {}, env())).toThrow(/the date must be a date or date and time, got "next week"/);
    expect(() => evaluateCondition('=is working day(missing) = null', { missing: null }, env())).toThrow(/is working day: the date must be a date/);
    expect(() => evaluateValue('=is working day(today())', {}, { now: NOW, calendar: null, zone: "Asia/Shanghai" })).toThrow(/this instance has no working-day calendar/);
  });

  it('parse at deploy time, although "between" alone is a FEEL keyword', () => {
    expect(feelSyntaxError('working days between(a, b) > 3')).toBeUndefined();
    expect(feelSyntaxError('add working days(today(), 10)')).toBeUndefined();
    expect(feelSyntaxError('x between 1 and 3')).toBeUndefined();
    expect(feelSyntaxError('add working days(today(), ')).toMatch(/syntax error/);
  });
});
