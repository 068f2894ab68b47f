import { objectRef } from './audit-objects';

describe('objectRef', () => {
  it('names the thing an audit object points at, by kind and id', () => {
    expect(objectRef('clue:2d14f0b7-edf5-48d5-83ea-ff3747a1b2c3')).toEqual({ kind: 'clue', id: '2d14f0b7-edf5-48d5-83ea-ff3747a1b2c3' });
    expect(objectRef('/clues/2d14f0b7-edf5-48d5-83ea-ff3747a1b2c3/grants')).toEqual({ kind: 'clue', id: '2d14f0b7-edf5-48d5-83ea-ff3747a1b2c3' });
    expect(objectRef('/tasks/17/complete')).toEqual({ kind: 'task', id: '17' });
    expect(objectRef('/process-instances/clue-2d14f0b7/clock')).toEqual({ kind: 'instance', id: 'clue-2d14f0b7' });
    expect(objectRef('/users/wu.gang/roles')).toEqual({ kind: 'user', id: 'wu.gang' });
    expect(objectRef('/definitions/clue%2Dx/permissions')).toEqual({ kind: 'definition', id: 'clue-x' });
    expect(objectRef('/calendar/overrides/2026-12-16')).toEqual({ kind: 'calendar-day', id: '2026-12-16' });
    expect(objectRef('/calendar/years/2027')).toEqual({ kind: 'calendar-year', id: '2027' });
  });

  it('names nothing for a collection, a malformed id or no object', () => {
    for (const object of [null, '', '/clues', '/clues/export', '/definitions', '/tasks/abc/claim', '/tasks/1234567890123456789/claim', '/calendar/overrides']) {
      expect(objectRef(object)).toBeNull();
    }
    // A malformed escape is kept as recorded rather than thrown.
    expect(objectRef('/users/%E0%A4%A/roles')).toEqual({ kind: 'user', id: '%E0%A4%A' });
  });
});
