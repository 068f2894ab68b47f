import { addDuration, formatDate, formatDateTime, formatZoned, isTimeZone, parseCycle, parseDateTime, parseDuration, startOfDate } from './time';

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

  it('reads a date-time without an offset in the given zone, never the host zone', () => {
    expect(parseDateTime('2026-10-01T09:00:00')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(parseDateTime('2026-10-01T09:00')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(parseDateTime('2026-10-01T09:00:00', 'America/New_York')).toBe(Date.UTC(2026, 9, 1, 13));
    expect(parseDateTime('2026-10-01T09:00:00', 'UTC')).toBe(Date.UTC(2026, 9, 1, 9));
  });

  it('reads offsets and named zones in FEEL and ISO notation', () => {
    expect(parseDateTime('2026-10-01T09:00:00+08:00')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(parseDateTime('2026-10-01T01:00:00.000Z')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(parseDateTime('2026-10-01T09:00:00@Asia/Shanghai', 'UTC')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(parseDateTime('2026-10-01T09:00:00[Europe/Paris]')).toBe(Date.UTC(2026, 9, 1, 7));
    expect(parseDateTime('2026-10-01T09:00:00+08:00[Asia/Shanghai]')).toBe(Date.UTC(2026, 9, 1, 1));
    expect(() => parseDateTime('2026-10-01T09:00:00@Mars/Olympus')).toThrow(/not an ISO-8601 date-time/);
    expect(() => parseDateTime('2026-13-01T09:00:00')).toThrow(/not an ISO-8601 date-time/);
  });

  it('adds calendar parts on the wall clock of the zone, across daylight saving time', () => {
    const beforeChange = parseDateTime('2026-03-07T09:00:00', 'America/New_York');
    expect(formatDateTime(beforeChange, 'America/New_York')).toBe('2026-03-07T09:00:00-05:00');
    const nextDay = addDuration(beforeChange, parseDuration('P1D'), 'America/New_York');
    expect(formatDateTime(nextDay, 'America/New_York')).toBe('2026-03-08T09:00:00-04:00');
    // Elapsed time is elapsed time: 24 hours later the wall clock shows 10:00.
    expect(formatDateTime(addDuration(beforeChange, parseDuration('PT24H'), 'America/New_York'), 'America/New_York')).toBe('2026-03-08T10:00:00-04:00');
    expect(formatDateTime(addDuration(parseDateTime('2026-01-31T09:00:00'), parseDuration('P1M')))).toBe('2026-02-28T09:00:00+08:00');
  });

  it('formats dates and day starts in a zone, and knows which zones exist', () => {
    const late = Date.UTC(2026, 11, 31, 17);
    expect(formatDate(late)).toBe('2027-01-01');
    expect(formatDate(late, 'UTC')).toBe('2026-12-31');
    expect(startOfDate('2026-10-01')).toBe(Date.UTC(2026, 8, 30, 16));
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('China/Beijing')).toBe(false);
  });

  it('reads a cycle start without an offset in the zone', () => {
    expect(parseCycle('R2/2026-01-01T09:00:00/P1D', 'Asia/Shanghai').start).toBe(Date.UTC(2026, 0, 1, 1));
  });

  it('formats any instant in any zone exactly as the zone rules do (the fast path included)', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'UTC', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
    let seed = 42;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    // Instants from 1850 (local mean times with odd seconds) to 2100, and the edges of DST changes.
    const instants = Array.from({ length: 400 }, () => Math.floor(Date.UTC(1850, 0, 1) + next() * (Date.UTC(2100, 0, 1) - Date.UTC(1850, 0, 1))));
    instants.push(Date.UTC(2026, 2, 8, 6, 59, 59, 999), Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 5, 59, 59), Date.UTC(2026, 10, 1, 6), -1, 0, 1500);
    for (const zone of zones) {
      for (const instant of instants) expect([zone, instant, formatDateTime(instant, zone)]).toEqual([zone, instant, formatZoned(instant, zone)]);
    }
  });
});
