import { isIsoCycle, isIsoDateTime, isIsoDuration } from './timer';

describe('ISO-8601 timer values', () => {
  it.each(['P6M', 'PT1H', 'P1DT2H', 'P10D', 'PT30M', 'P1Y2M3W4DT5H6M7S', 'PT0.5S'])('%s is a duration', (value) => {
    expect(isIsoDuration(value)).toBe(true);
  });

  it.each(['P', 'PT', '6 months', 'P1H', 'p6m', 'P-1D', ''])('%s is not a duration', (value) => {
    expect(isIsoDuration(value)).toBe(false);
  });

  it.each(['2026-10-01T09:00:00+08:00', '2026-10-01T09:00:00Z', '2026-10-01T09:00Z', '2026-10-01T09:00:00.250+08:00', '2026-10-01T09:00:00+08:00[Asia/Shanghai]'])(
    '%s is a date-time',
    (value) => expect(isIsoDateTime(value)).toBe(true),
  );

  it.each(['2026-10-01', '2026-10-01T09:00:00', '2026-13-01T09:00:00Z', '2026-10-01 09:00:00Z', 'tomorrow'])('%s is not a date-time', (value) => {
    expect(isIsoDateTime(value)).toBe(false);
  });

  it.each(['R/P6M', 'R3/PT1H', 'R5/2026-01-01T00:00:00Z/P1D'])('%s is a cycle', (value) => expect(isIsoCycle(value)).toBe(true));

  it.each(['P6M', 'R', 'R/', 'R3/every hour', 'R-1/P1D', '0 0 9 * * MON', 'R/2026-01-01T00:00:00Z'])('%s is not a cycle', (value) => {
    expect(isIsoCycle(value)).toBe(false);
  });
});
