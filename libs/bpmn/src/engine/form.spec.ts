import type { FormSchema } from './form';
import { checkFormVariables, isCalendarDate } from './form';

const FORM: FormSchema = {
  id: 'dates',
  type: 'default',
  components: [
    { type: 'datetime', key: 'day', subtype: 'date' },
    { type: 'datetime', key: 'at', subtype: 'time' },
    { type: 'datetime', key: 'when', subtype: 'datetime' },
  ],
} as FormSchema;

describe('form dates', () => {
  it('knows the days of the calendar, leap years included', () => {
    expect(['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31'].filter(isCalendarDate)).toHaveLength(4);
    expect(['2026-02-29', '1900-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '9999-99-99', '2026-1-1'].filter(isCalendarDate)).toEqual([]);
  });

  it('refuses a date, time or date-time that is not real, naming the field', () => {
    expect(checkFormVariables(FORM, { day: '2026-10-16', at: '09:30', when: '2026-10-16T09:30:00+08:00' })).toBeNull();
    expect(checkFormVariables(FORM, { day: '2026-02-30' })).toMatchObject({ field: 'day' });
    expect(checkFormVariables(FORM, { at: '25:00' })).toMatchObject({ field: 'at' });
    expect(checkFormVariables(FORM, { when: '2026-02-30T09:30:00Z' })).toMatchObject({ field: 'when' });
  });
});

describe('form dates as recorded', () => {
  it('replays a completion by the rule it was accepted under', () => {
    const form = { id: 'd', type: 'default', components: [{ type: 'datetime', key: 'day', subtype: 'date' }, { type: 'datetime', key: 'at', subtype: 'time' }] } as FormSchema;
    expect(checkFormVariables(form, { day: '2026-02-30', at: '24:00' }, { asRecorded: true })).toBeNull();
    expect(checkFormVariables(form, { day: '2026-02-30' })).toMatchObject({ field: 'day' });
    expect(checkFormVariables(form, { day: '30 February' }, { asRecorded: true })).toMatchObject({ field: 'day' });
  });
});
