import type { FormSchema } from './form';
import { checkFormVariables, formProblems, isCalendarDate } from './form';

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

describe('every problem of a form at once', () => {
  const form: FormSchema = {
    id: 'study',
    type: 'default',
    components: [
      { type: 'radio', key: 'disposition', label: '处置方式', values: [{ value: 'talk-inquiry' }, { value: 'close' }], validate: { required: true } },
      { type: 'textarea', key: 'opinion', label: '研究意见', validate: { required: true, minLength: 10 } },
      { type: 'number', key: 'persons', validate: { min: 1, max: 20 } },
      { type: 'group', path: 'meeting', components: [{ type: 'datetime', key: 'day', subtype: 'date', validate: { required: true } }] },
    ],
  } as FormSchema;

  it('names each offending field once, in the form’s order, with a stable code and the bound broken', () => {
    expect(formProblems(form, { disposition: 'arrest', opinion: '太短', persons: 40 }).map(({ field, code, limit }) => ({ field, code, limit }))).toEqual([
      { field: 'disposition', code: 'not-an-option', limit: undefined },
      { field: 'opinion', code: 'too-short', limit: 10 },
      { field: 'persons', code: 'too-large', limit: 20 },
      { field: 'meeting.day', code: 'required', limit: undefined },
    ]);
  });

  it('answers nothing for variables that fit, and its first problem is the one the workflow refuses with', () => {
    const fitting = { disposition: 'close', opinion: '经研究，予以了结处理。', persons: 2, meeting: { day: '2026-10-16' } };
    expect(formProblems(form, fitting)).toEqual([]);
    const wrong = { disposition: 'close', opinion: 7, meeting: { day: '2026-02-30' } };
    // The words the workflow refuses with (recorded in histories) stay as they were.
    expect(checkFormVariables(form, wrong)).toMatchObject({ field: 'opinion', message: 'opinion (研究意见) must be text, got 7' });
    expect(checkFormVariables(form, { disposition: 'close', opinion: '经研究，予以了结处理。', meeting: {} })).toMatchObject({ field: 'meeting.day', message: 'meeting.day is required' });
    expect(checkFormVariables(form, { disposition: 'x', opinion: '经研究，予以了结处理。' })).toMatchObject({ message: 'disposition (处置方式) must be one of "talk-inquiry", "close", got "x"' });
    expect(checkFormVariables(form, wrong)).toEqual(formProblems(form, wrong)[0]);
    expect(formProblems(form, wrong).map((problem) => problem.code)).toEqual(['not-text', 'not-a-date']);
  });
});
