import type { Principal } from './identity';

/**
 * The permission model, as data: the roles, what each may do, and the rule of every route.
 *
 * A caller's roles are the groups of its token that name a role here; other groups (a model's
 * own candidate groups, such as `commission-room-3`) only make the caller a candidate of tasks.
 * Every person who is not an administrator holds the {@link MEMBER_PERMISSIONS}: their own
 * tasks and deadlines, the calendar, the directory and the process diagrams; instances are then
 * decided per process definition (see {@link DefinitionAction}). The administrator roles (三员)
 * and service accounts are exclusive: a caller holding one holds only that role's permissions,
 * so none of them reads tasks, instance variables or clues.
 */

/** Kinds of role: actors of the processes, oversight, process operation, the three administrators, machines. */
export type RoleKind = 'actor' | 'oversight' | 'operator' | 'administrator' | 'service';

export interface RoleInfo {
  /** The role's name as people read it. */
  label: string;
  kind: RoleKind;
}

export const ROLES = {
  'inspection-office': { label: '巡察办', kind: 'actor' },
  'leading-group': { label: '巡察工作领导小组', kind: 'actor' },
  'party-committee': { label: '党委', kind: 'actor' },
  'inspection-group': { label: '巡察组', kind: 'actor' },
  'commission-case-office': { label: '纪委监委案件监督管理室', kind: 'actor' },
  'commission-liaison-office': { label: '纪委监委联系纪检监察室', kind: 'actor' },
  'commission-petition-office': { label: '纪委监委信访室', kind: 'actor' },
  'commission-conduct-office': { label: '纪委监委党风政风监督室', kind: 'actor' },
  'stationed-commission-group': { label: '派驻纪检监察组', kind: 'actor' },
  'dispatched-supervisor-office': { label: '派出监察员办公室', kind: 'actor' },
  'organization-dept': { label: '组织部', kind: 'actor' },
  'audit-bureau': { label: '审计局', kind: 'actor' },
  'petition-bureau': { label: '信访局', kind: 'actor' },
  'public-security': { label: '公安局', kind: 'actor' },
  procuratorate: { label: '检察院', kind: 'actor' },
  court: { label: '法院', kind: 'actor' },
  'legal-affairs': { label: '法制办', kind: 'actor' },
  'hr-social-security': { label: '人社局', kind: 'actor' },
  'staffing-office': { label: '编办', kind: 'actor' },
  'propaganda-dept': { label: '宣传部', kind: 'actor' },
  'finance-bureau': { label: '财政局', kind: 'actor' },
  'inspected-unit': { label: '被巡察党组织', kind: 'actor' },
  'industry-authority': { label: '行业主管部门', kind: 'actor' },
  township: { label: '乡镇（街道）', kind: 'actor' },
  supervisor: { label: '督查督办', kind: 'oversight' },
  'process-admin': { label: '流程管理员', kind: 'operator' },
  'system-admin': { label: '系统管理员', kind: 'administrator' },
  'security-admin': { label: '安全管理员', kind: 'administrator' },
  auditor: { label: '审计管理员', kind: 'administrator' },
  'service-account': { label: '服务账户', kind: 'service' },
} as const satisfies Record<string, RoleInfo>;

export type Role = keyof typeof ROLES;

export const PERMISSIONS = {
  session: '查看本人身份',
  'tasks.work': '查看并办理本人及本组的任务',
  'deadlines.read': '查看期限',
  'calendar.read': '查看工作日历',
  'calendar.edit': '维护工作日历',
  'directory.read': '查看人员与单位目录',
  'directory.edit': '维护人员与单位目录',
  'definitions.read': '查看流程定义',
  'definitions.deploy': '部署流程定义',
  'definitions.permissions': '设置流程定义的权限',
  instances: '按流程定义的权限查看与处置流程实例',
  'instances.clock': '推进测试时钟',
  'messages.publish': '发布消息',
  'messages.read': '查看缓存的消息',
  'rounds.read': '查看巡察轮次',
  'rounds.write': '登记巡察轮次',
  'clues.register': '登记问题线索',
  'clues.handle': '按知悉范围查看与办理问题线索（每条线索由其知悉范围决定）',
  'clues.ledger': '查看线索台账（受限线索除外）与统计',
  'clues.summaries': '查看线索季度汇总',
  'health.details': '查看运行状态详情',
  'audit.read': '查阅与校验审计记录',
  codec: '在 Temporal UI 中查看解密后的流程数据',
  'roles.grant': '授予与收回角色',
  'passwords.reset': '重置他人的登录密码',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** What every signed-in person who holds no exclusive role may do. */
export const MEMBER_PERMISSIONS: readonly Permission[] = [
  'session',
  'tasks.work',
  'deadlines.read',
  'calendar.read',
  'directory.read',
  'definitions.read',
  'instances',
  'rounds.read',
  'clues.handle',
];

/**
 * What a role takes away from everything else its holder holds: the people of an inspected unit
 * (or township) never reach a clue, whoever else they are.
 */
export const WITHHELD: Readonly<Partial<Record<Role, readonly Permission[]>>> = {
  'inspected-unit': ['clues.handle', 'clues.register', 'clues.ledger', 'clues.summaries'],
  township: ['clues.handle', 'clues.register', 'clues.ledger', 'clues.summaries'],
};

/** Bodies that keep or watch the clue ledger. */
const LEDGER_KEEPERS: Role[] = ['commission-case-office', 'inspection-office', 'leading-group', 'supervisor'];

/** The permissions each role adds (to {@link MEMBER_PERMISSIONS}, unless the role is exclusive). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = (() => {
  const grants = Object.fromEntries(Object.keys(ROLES).map((role) => [role, [] as Permission[]])) as Record<Role, Permission[]>;
  const grant = (roles: Role[], ...permissions: Permission[]): void => roles.forEach((role) => grants[role].push(...permissions));
  grant(['inspection-office'], 'rounds.write');
  grant(['inspection-office', 'commission-case-office'], 'clues.register');
  grant(LEDGER_KEEPERS, 'clues.ledger');
  grant(['commission-case-office', 'inspection-office'], 'clues.summaries');
  grant(['process-admin'], 'definitions.deploy', 'calendar.edit', 'messages.publish', 'messages.read', 'instances.clock', 'health.details', 'codec');
  grant(['system-admin'], 'session', 'directory.read', 'directory.edit', 'health.details');
  grant(['security-admin'], 'session', 'directory.read', 'definitions.read', 'definitions.permissions', 'roles.grant', 'passwords.reset');
  // The trail names people by account: the auditor reads who they are, never what they handle.
  grant(['auditor'], 'session', 'directory.read', 'audit.read');
  grant(['service-account'], 'session', 'messages.publish');
  return grants;
})();

/** Roles whose holder holds nothing else: the three administrators and service accounts. */
export const EXCLUSIVE_ROLES: readonly Role[] = (Object.keys(ROLES) as Role[]).filter(
  (role) => ROLES[role].kind === 'administrator' || ROLES[role].kind === 'service',
);

/** Roles whose grant waits for a second administrator, and whose holders' passwords no other administrator resets: the three administrators and the process administrator. */
export function isGuardedRole(role: Role): boolean {
  return ROLES[role].kind === 'administrator' || ROLES[role].kind === 'operator';
}

export function isRole(group: string): group is Role {
  return Object.prototype.hasOwnProperty.call(ROLES, group);
}

/** The roles among a caller's groups. */
export function rolesOf(caller: Pick<Principal, 'groups'>): Role[] {
  return caller.groups.filter(isRole);
}

/** Everything the caller may do. */
export function permissionsOf(caller: Pick<Principal, 'groups'>): Set<Permission> {
  const roles = rolesOf(caller);
  const exclusive = roles.filter((role) => EXCLUSIVE_ROLES.includes(role));
  const held = new Set<Permission>(exclusive.length > 0 ? [] : MEMBER_PERMISSIONS);
  for (const role of exclusive.length > 0 ? exclusive : roles) ROLE_PERMISSIONS[role].forEach((permission) => held.add(permission));
  for (const role of roles) WITHHELD[role]?.forEach((permission) => held.delete(permission));
  return held;
}

export function holds(caller: Pick<Principal, 'groups'>, permission: Permission): boolean {
  return permissionsOf(caller).has(permission);
}

/** Whether the caller holds an exclusive role (one of the three administrators, or a service account): no business data. */
export function isAdministrator(caller: Pick<Principal, 'groups'>): boolean {
  return rolesOf(caller).some((role) => EXCLUSIVE_ROLES.includes(role));
}

/**
 * A route's rule: reachable without a token, or the permission it needs. Every call that changes
 * something, and every refusal, is recorded in the audit trail; `audit: 'read'` records the reads
 * of a route that shows sensitive data too (clue details record their reads themselves, per clue).
 * `embeddedOnly` routes exist only in the embedded mode (development tokens).
 */
export type RouteRule = { public: true; embeddedOnly?: true } | { permission: Permission; audit?: 'read' };

/**
 * The rule of every route, by method and path as the router declares it. A route missing here
 * is refused to everyone (default deny); a test walks the OpenAPI document against this table.
 */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /health': { public: true },
  'POST /auth/dev-token': { public: true, embeddedOnly: true },
  'POST /auth/login': { public: true },
  'GET /auth/methods': { public: true },
  'GET /auth/me': { permission: 'session' },
  'POST /auth/logout': { permission: 'session' },
  'POST /auth/password': { permission: 'session' },
  'POST /users/:sub/password-reset': { permission: 'passwords.reset' },
  'GET /users': { permission: 'directory.read' },
  'GET /units': { permission: 'directory.read' },
  'POST /units': { permission: 'directory.edit' },
  'POST /users': { permission: 'directory.edit' },
  'POST /users/:sub/roles': { permission: 'roles.grant' },
  'DELETE /users/:sub/roles/:role': { permission: 'roles.grant' },
  'GET /role-grants': { permission: 'roles.grant' },
  'POST /role-grants/:id/approve': { permission: 'roles.grant' },
  'POST /role-grants/:id/refuse': { permission: 'roles.grant' },

  'GET /notices': { permission: 'tasks.work' },
  'POST /notices/read': { permission: 'tasks.work' },
  'GET /tasks': { permission: 'tasks.work' },
  'GET /tasks/:id': { permission: 'tasks.work', audit: 'read' },
  'POST /tasks/:id/claim': { permission: 'tasks.work' },
  'POST /tasks/:id/unclaim': { permission: 'tasks.work' },
  'POST /tasks/:id/assign': { permission: 'tasks.work' },
  'POST /tasks/:id/delegate': { permission: 'tasks.work' },
  'POST /tasks/:id/resolve': { permission: 'tasks.work' },
  'POST /tasks/:id/complete': { permission: 'tasks.work' },
  'GET /deadlines': { permission: 'deadlines.read' },

  'POST /definitions': { permission: 'definitions.deploy' },
  'GET /definitions': { permission: 'definitions.read' },
  'GET /definitions/:key': { permission: 'definitions.read' },
  'GET /definitions/:key/versions': { permission: 'definitions.read' },
  'GET /definitions/:key/versions/:version': { permission: 'definitions.read' },
  'GET /definitions/:key/versions/:version/graph': { permission: 'definitions.read' },
  'GET /definitions/:key/permissions': { permission: 'definitions.permissions' },
  'PUT /definitions/:key/permissions': { permission: 'definitions.permissions' },

  'POST /process-instances': { permission: 'instances' },
  'GET /process-instances': { permission: 'instances' },
  'GET /process-instances/:id': { permission: 'instances', audit: 'read' },
  'GET /process-instances/:id/history': { permission: 'instances' },
  'GET /process-instances/:id/forecast': { permission: 'instances' },
  'POST /process-instances/:id/cancel': { permission: 'instances' },
  'POST /process-instances/:id/incidents/:incidentId/retry': { permission: 'instances' },
  'POST /process-instances/:id/variables': { permission: 'instances' },
  'POST /process-instances/:id/clock': { permission: 'instances.clock' },

  'POST /messages': { permission: 'messages.publish' },
  'GET /messages': { permission: 'messages.read' },

  'POST /rounds': { permission: 'rounds.write' },
  'GET /rounds': { permission: 'rounds.read' },
  'GET /rounds/:id': { permission: 'rounds.read' },

  'POST /clues': { permission: 'clues.register' },
  'GET /clues': { permission: 'clues.handle' },
  'GET /clues/export': { permission: 'clues.handle', audit: 'read' },
  'GET /clues/:id': { permission: 'clues.handle' },
  'PATCH /clues/:id': { permission: 'clues.handle' },
  'POST /clues/:id/handover': { permission: 'clues.handle' },
  'GET /clues/:id/letters/:letterId': { permission: 'clues.handle' },
  'GET /clues/:id/attachments/:attachmentId': { permission: 'clues.handle' },
  'GET /clues/:id/access-log': { permission: 'clues.handle' },
  'POST /clues/:id/grants': { permission: 'clues.handle' },
  'GET /clues/:id/grants': { permission: 'clues.handle' },
  'DELETE /clues/:id/grants/:user': { permission: 'clues.handle' },
  'GET /metrics/clues': { permission: 'clues.ledger' },
  'GET /metrics/clues/series': { permission: 'clues.ledger' },
  'GET /clue-summaries': { permission: 'clues.summaries' },
  'GET /clue-summaries/:id': { permission: 'clues.summaries' },
  'GET /clue-summaries/:id/workbook': { permission: 'clues.summaries', audit: 'read' },

  'POST /codec/decode': { permission: 'codec' },
  'POST /codec/encode': { permission: 'codec' },

  'GET /audit': { permission: 'audit.read', audit: 'read' },
  'GET /audit/verify': { permission: 'audit.read', audit: 'read' },

  'GET /calendar/days': { permission: 'calendar.read' },
  'GET /calendar/coverage': { permission: 'calendar.read' },
  'GET /calendar/overrides': { permission: 'calendar.read' },
  'PUT /calendar/overrides/:date': { permission: 'calendar.edit' },
  'DELETE /calendar/overrides/:date': { permission: 'calendar.edit' },
  'GET /calendar/years': { permission: 'calendar.read' },
  'PUT /calendar/years/:year': { permission: 'calendar.edit' },
  'DELETE /calendar/years/:year': { permission: 'calendar.edit' },
};

/** The rule of a route, or undefined when it has none (and is therefore refused). */
export function routeRule(method: string, path: string): RouteRule | undefined {
  return ROUTE_RULES[`${method.toUpperCase()} ${path}`];
}

// ---------------------------------------------------------------- per process definition

/** What may be done to a process definition and its instances. */
export const DEFINITION_ACTIONS = ['deploy', 'start', 'read', 'cancel', 'retry', 'modify'] as const;
export type DefinitionAction = (typeof DEFINITION_ACTIONS)[number];

export const DEFINITION_ACTION_LABELS: Record<DefinitionAction, string> = {
  deploy: '部署新版本',
  start: '发起实例',
  read: '查看实例及其变量',
  cancel: '取消实例',
  retry: '重试故障',
  modify: '修改实例变量',
};

/** Roles allowed each action on a definition. */
export type DefinitionPermissions = Record<DefinitionAction, Role[]>;

/** The key whose rules apply to every definition that has none of its own. */
export const ANY_DEFINITION = '*';

/**
 * What installations start with (the migration seeds these rows; the security administrator
 * changes them through PUT /definitions/:key/permissions): process administrators operate every
 * process; the inspection office starts and follows the processes it runs, supervisors follow
 * them. A clue's instance starts only by registering the clue, and its summary only by the case
 * office; only the ledger's keepers follow them.
 */
export const DEFAULT_DEFINITION_PERMISSIONS: Readonly<Record<string, DefinitionPermissions>> = {
  [ANY_DEFINITION]: {
    deploy: ['process-admin'],
    start: ['process-admin', 'inspection-office'],
    read: ['process-admin', 'inspection-office', 'supervisor'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
  clue: {
    deploy: ['process-admin'],
    start: [],
    read: ['process-admin', 'commission-case-office', 'inspection-office', 'leading-group', 'supervisor'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
  'clue-summary': {
    deploy: ['process-admin'],
    start: ['commission-case-office'],
    read: ['process-admin', 'commission-case-office', 'inspection-office'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
};

/** Roles whose holders see only what concerns their own unit: the people of an inspected unit or township. */
export const UNIT_SCOPED_ROLES: readonly Role[] = ['inspected-unit', 'township'];

/**
 * The unit a caller is confined to: undefined when no role confines them; null when one does but
 * the directory names no unit for them (they then see no instance and no task).
 */
export function unitScope(caller: Pick<Principal, 'groups' | 'unit'>): string | null | undefined {
  if (!caller.groups.some((group) => (UNIT_SCOPED_ROLES as readonly string[]).includes(group))) return undefined;
  return caller.unit ?? null;
}

/** Whether a caller's roles allow an action under the given rules (exclusive roles never do). */
export function allows(rules: DefinitionPermissions, action: DefinitionAction, caller: Pick<Principal, 'groups'>): boolean {
  if (isAdministrator(caller)) return false;
  const roles = rolesOf(caller);
  return rules[action].some((role) => roles.includes(role));
}
