import {
  allows,
  DEFAULT_DEFINITION_PERMISSIONS,
  EXCLUSIVE_ROLES,
  holds,
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  ROUTE_RULES,
  routeRule,
} from './permissions';

/** Permissions that reveal business data: tasks, instances, clues, rounds, deadlines. */
const BUSINESS: (keyof typeof PERMISSIONS)[] = ['tasks.work', 'deadlines.read', 'instances', 'clues.handle', 'clues.ledger', 'clues.summaries', 'clues.register', 'rounds.read'];

describe('the permission model', () => {
  it('names every role and permission in Chinese', () => {
    for (const [role, info] of Object.entries(ROLES)) expect([role, info.label]).toEqual([role, expect.stringMatching(/[\u4e00-\u9fff]/)]);
    for (const [permission, label] of Object.entries(PERMISSIONS)) expect([permission, label]).toEqual([permission, expect.stringMatching(/[\u4e00-\u9fff]/)]);
  });

  it('gives the three administrators (三员) and service accounts no business data, even held with other roles', () => {
    expect([...EXCLUSIVE_ROLES].sort()).toEqual(['auditor', 'security-admin', 'service-account', 'system-admin']);
    for (const role of EXCLUSIVE_ROLES) {
      for (const groups of [[role], [role, 'commission-case-office', 'supervisor', 'process-admin']]) {
        const held = permissionsOf({ groups });
        expect(BUSINESS.filter((permission) => held.has(permission))).toEqual([]);
        expect(held.has('session')).toBe(true);
      }
    }
  });

  it('separates the administrators: users and units, definition permissions, the trail and the names in it for the auditor', () => {
    expect(holds({ groups: ['system-admin'] }, 'directory.edit')).toBe(true);
    expect(holds({ groups: ['security-admin'] }, 'directory.edit')).toBe(false);
    expect(holds({ groups: ['security-admin'] }, 'definitions.permissions')).toBe(true);
    expect(holds({ groups: ['system-admin'] }, 'definitions.permissions')).toBe(false);
    expect(holds({ groups: ['process-admin'] }, 'definitions.permissions')).toBe(false);
    expect([...permissionsOf({ groups: ['auditor'] })].sort()).toEqual(['audit.read', 'directory.read', 'session']);
  });

  it('lets publish messages only process administrators and service accounts', () => {
    const publishers = Object.keys(ROLES).filter((role) => holds({ groups: [role] }, 'messages.publish'));
    expect(publishers.sort()).toEqual(['process-admin', 'service-account']);
  });

  it('gives a person with only a model group (no role) the member permissions and no more', () => {
    const held = permissionsOf({ groups: ['commission-room-3'] });
    expect(held.has('tasks.work')).toBe(true);
    expect(held.has('clues.handle')).toBe(true);
    expect(held.has('clues.ledger')).toBe(false);
    expect(held.has('definitions.deploy')).toBe(false);
  });

  it('keeps every clue route from the people of an inspected unit or township, whatever else they hold', () => {
    for (const groups of [['inspected-unit'], ['township'], ['inspected-unit', 'commission-case-office', 'supervisor']]) {
      const held = permissionsOf({ groups });
      expect(['clues.handle', 'clues.register', 'clues.ledger', 'clues.summaries'].filter((permission) => held.has(permission as never))).toEqual([]);
    }
    expect(holds({ groups: ['commission-case-office'] }, 'clues.handle')).toBe(true);
  });

  it('refers only to permissions that exist', () => {
    for (const rule of Object.values(ROUTE_RULES)) if ('permission' in rule) expect(Object.keys(PERMISSIONS)).toContain(rule.permission);
    for (const granted of Object.values(ROLE_PERMISSIONS)) for (const permission of granted) expect(Object.keys(PERMISSIONS)).toContain(permission);
  });

  it('finds a route rule by method and declared path, and none for an unknown route', () => {
    expect(routeRule('get', '/tasks/:id')).toEqual({ permission: 'tasks.work', audit: 'read' });
    expect(routeRule('DELETE', '/tasks/:id')).toBeUndefined();
  });

  it('decides actions on definitions by role, never for administrators', () => {
    const any = DEFAULT_DEFINITION_PERMISSIONS['*']!;
    expect(allows(any, 'start', { groups: ['inspection-office'] })).toBe(true);
    expect(allows(any, 'cancel', { groups: ['inspection-office'] })).toBe(false);
    expect(allows(any, 'read', { groups: ['process-admin', 'auditor'] })).toBe(false);
    expect(allows(DEFAULT_DEFINITION_PERMISSIONS['clue']!, 'start', { groups: ['process-admin'] })).toBe(false);
  });
});
