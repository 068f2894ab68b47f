import { chineseDaysCalendar } from './chinese-days';
import { withOverrides } from './overrides';
import { calendarFrom, uncoveredWarning, WorkingCalendar } from './working-calendar';

describe('WorkingCalendar on the shipped chinese-days data', () => {
  const calendar = (): WorkingCalendar => new WorkingCalendar(chineseDaysCalendar());

  it('knows the 2026 National Day break and its working Saturday', () => {
    const c = calendar();
    for (let day = 1; day <= 7; day++) expect(c.isWorkingDay(`2026-10-0${day}`)).toBe(false);
    expect(c.describe('2026-10-01')).toEqual({ date: '2026-10-01', working: false, name: '国庆节', covered: true });
    expect(c.describe('2026-10-10')).toEqual({ date: '2026-10-10', working: true, name: '国庆节调休', covered: true });
    expect(c.isWorkingDay('2026-10-08')).toBe(true);
    expect(c.isWorkingDay('2026-10-11')).toBe(false);
    expect(c.takeUncovered()).toEqual([]);
  });

  it('counts 10 working days after 2026-09-28 to 2026-10-16, and back', () => {
    const c = calendar();
    expect(c.addWorkingDays('2026-09-28', 10)).toBe('2026-10-16');
    expect(c.workingDaysBetween('2026-09-28', '2026-10-16')).toBe(10);
    expect(c.addWorkingDays('2026-10-16', -10)).toBe('2026-09-28');
    expect(c.workingDaysBetween('2026-10-16', '2026-09-28')).toBe(-10);
    expect(c.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    // From inside the break the first working day is the 8th.
    expect(c.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
  });

  it('has the 2020 Spring Festival extension (to 2 February)', () => {
    const c = calendar();
    expect(c.isWorkingDay('2020-01-31')).toBe(false);
    expect(c.isWorkingDay('2020-02-02')).toBe(false);
    expect(c.isWorkingDay('2020-02-03')).toBe(true);
  });

  it('reports 2027-01-01 as outside the data instead of passing a guess for fact', () => {
    const c = calendar();
    expect(c.covers('2027-01-01')).toBe(false);
    // A Friday by the weekday rule: answered, but noted.
    expect(c.isWorkingDay('2027-01-01')).toBe(true);
    const uncovered = c.takeUncovered();
    expect(uncovered).toEqual([{ year: 2027, date: '2027-01-01' }]);
    expect(uncoveredWarning(uncovered)).toMatch(/no official working-day calendar for 2027 .*2027-01-01/);
    expect(c.takeUncovered()).toEqual([]);
    // A count that crosses into 2027 is noted too.
    c.addWorkingDays('2026-12-28', 5);
    expect(c.takeUncovered().map((u) => u.year)).toEqual([2027]);
  });

  it('counts working days between any two dates as a day-by-day walk does, and notes the same guessed dates', () => {
    const data = withOverrides(chineseDaysCalendar(), [
      { date: '2027-01-01', kind: 'holiday', note: '元旦' },
      { date: '2027-01-02', kind: 'workday', note: '调休' },
      { date: '2026-10-10', kind: 'holiday', note: null },
    ], []);
    const walk = (c: WorkingCalendar, from: string, to: string): number => {
      const [low, high, sign] = from <= to ? [from, to, 1] : [to, from, -1];
      let count = 0;
      for (let day = new Date(`${low}T00:00:00Z`).getTime() + 86_400_000; day <= new Date(`${high}T00:00:00Z`).getTime(); day += 86_400_000) {
        if (c.isWorkingDay(new Date(day).toISOString().slice(0, 10))) count++;
      }
      return sign * count;
    };
    // A fixed pseudo-random sequence of date pairs from 2012 to 2030 (uncovered years at both ends, spans under twenty years).
    let seed = 20_261_202;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const dateAt = (fraction: number): string => new Date(Date.UTC(2012, 0, 1) + Math.floor(fraction * 18 * 365) * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 300; i++) {
      const from = dateAt(next());
      const to = i % 3 === 0 ? dateAt(next()) : new Date(new Date(`${from}T00:00:00Z`).getTime() + Math.floor(next() * 90 - 30) * 86_400_000).toISOString().slice(0, 10);
      const counted = new WorkingCalendar(data);
      const walked = new WorkingCalendar(data);
      expect([from, to, counted.workingDaysBetween(from, to)]).toEqual([from, to, walk(walked, from, to)]);
      expect(counted.takeUncovered()).toEqual(walked.takeUncovered());
    }
  });

  it('lets an override cover a date and a published year cover the rest of it', () => {
    const overridden = new WorkingCalendar(withOverrides(chineseDaysCalendar(), [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }], []));
    expect(overridden.describe('2027-01-01')).toEqual({ date: '2027-01-01', working: false, name: '元旦', covered: true });
    expect(overridden.covers('2027-01-04')).toBe(false);
    const published = new WorkingCalendar(withOverrides(chineseDaysCalendar(), [], [2027]));
    expect(published.covers('2027-01-04')).toBe(true);
    // An override beats the shipped data.
    const moved = new WorkingCalendar(withOverrides(chineseDaysCalendar(), [{ date: '2026-10-10', kind: 'holiday', note: null }], []));
    expect(moved.describe('2026-10-10')).toMatchObject({ working: false, name: '放假' });
  });

  it('snapshots only the years a running instance needs, keeping overrides', () => {
    const data = withOverrides(chineseDaysCalendar(), [{ date: '2019-05-05', kind: 'holiday', note: 'x' }], []);
    const snapshot = calendarFrom(data, 2025);
    expect(snapshot.years).toEqual([2025, 2026]);
    expect(Object.keys(snapshot.days).every((date) => date >= '2025' || date === '2019-05-05')).toBe(true);
    expect(new WorkingCalendar(snapshot).addWorkingDays('2026-09-28', 10)).toBe('2026-10-16');
  });

  it('refuses malformed input with the value named', () => {
    const c = calendar();
    expect(() => c.isWorkingDay('2026-02-30')).toThrow('"2026-02-30" is not a calendar date');
    expect(() => c.addWorkingDays('2026-09-28', 1.5)).toThrow('whole number, got 1.5');
    expect(() => c.addWorkingDays('2026-09-28', 100_000)).toThrow('beyond twenty years');
  });
});
