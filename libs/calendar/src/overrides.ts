import type { CalendarData, CalendarDay, DayKind } from './working-calendar';
import { dayNumber } from './working-calendar';

/** A date an administrator set: it wins over the shipped data. */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
  note: string | null;
}

/**
 * The shipped data with the administrators' entries on top: each override decides its date,
 * and each year in `publishedYears` counts as known (its arrangement was entered by hand, the
 * day the State Council published it, before a newer data package ships).
 */
export function withOverrides(base: CalendarData, overrides: CalendarOverride[], publishedYears: number[]): CalendarData {
  const days: Record<string, CalendarDay> = { ...base.days };
  const overridden = new Set(base.overridden ?? []);
  for (const override of overrides) {
    dayNumber(override.date);
    const fallback = override.kind === 'workday' ? '调休上班' : '放假';
    days[override.date] = { kind: override.kind, name: override.note?.trim() || fallback };
    overridden.add(override.date);
  }
  const years = [...new Set([...base.years, ...publishedYears])].sort((a, b) => a - b);
  return { years, days, overridden: [...overridden].sort() };
}
