// The shipped calendar: the `chinese-days` package's holidays and swapped working days, one
// State Council notice per year. Not for workflow code: workflows receive a snapshot in their
// input (see calendarFrom), so a newer package never changes a replayed history.
import data from 'chinese-days/dist/chinese-days.json';
import type { CalendarData, CalendarDay } from './working-calendar';

/** "National Day,国庆节,3" → 国庆节. */
function chineseName(entry: string): string {
  const parts = entry.split(',');
  return (parts[1] ?? parts[0] ?? '').trim();
}

let cached: CalendarData | undefined;

/** The package's data as {@link CalendarData}: every year it lists is known. */
export function chineseDaysCalendar(): CalendarData {
  if (cached) return cached;
  const source = data as { holidays: Record<string, string>; workdays: Record<string, string> };
  const days: Record<string, CalendarDay> = {};
  const years = new Set<number>();
  for (const [date, entry] of Object.entries(source.holidays)) {
    days[date] = { kind: 'holiday', name: chineseName(entry) };
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, entry] of Object.entries(source.workdays)) {
    days[date] = { kind: 'workday', name: `${chineseName(entry)}调休` };
    years.add(Number(date.slice(0, 4)));
  }
  cached = { years: [...years].sort((a, b) => a - b), days };
  return cached;
}
