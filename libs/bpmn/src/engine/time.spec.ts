import { addDuration, formatDateTime, parseCycle, parseDateTime, parseDuration } from './time';

const at = (iso: string): number => parseDateTime(iso);

describe('engine time', () => {
  it.each([
    ['2026-01-31T09:00:00+08:00', 'P1M', '2026-02-28T09:00:00+08:00'],
    ['2026-01-31T09:00:00+08:00', 'P6M', '2026-07-31T09:00:00+08:00'],
    ['2026-08-31T09:00:00+08:00', 'P6M', '2027-02-28T09:00:00+08:00'],
    ['2028-02-29T09:00:00+08:00', 'P1Y', '2029-02-28T09:00:00+08:00'],
    ['2026-09-28T09:00:00+08:00', 'P10D', '2026-10-08T09:00:00+08:00'],
    ['2026-09-28T23:30:00+08:00', 'PT1H', '2026-09-29T00:30:00+08:00'],
    ['2026-01-01T07:00:00+08:00', 'P1M', '2026-02-01T07:00:00+08:00'],
    ['2026-03-01T09:00:00+08:00', 'P1W', '2026-03-08T09:00:00+08:00'],
  ])('%s + %s = %s (calendar months on the +08:00 wall clock)', (from, duration, expected) => {
    expect(formatDateTime(addDuration(at(from), parseDuration(duration)))).toBe(expected);
  });

  it('parses cycles with and without start and count', () => {
    expect(parseCycle('R/P6M')).toEqual({ repetitions: null, start: null, period: parseDuration('P6M') });
    expect(parseCycle('R3/PT1H')).toMatchObject({ repetitions: 3, start: null });
    expect(parseCycle('R2/2026-01-01T00:00:00Z/P1D')).toMatchObject({ repetitions: 2, start: Date.UTC(2026, 0, 1) });
    expect(() => parseCycle('P6M')).toThrow(/not an ISO-8601 repeating interval/);
    expect(() => parseDuration('6 months')).toThrow(/not an ISO-8601 duration/);
    expect(() => parseDateTime('2026-10-01')).toThrow(/not an ISO-8601 date-time/);
  });
});
