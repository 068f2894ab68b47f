import { AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, CalendarOutlined, DatabaseOutlined, InboxOutlined, NodeIndexOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { lazy } from 'react';
import type { Permission } from '../../../libs/contracts/src/permissions';
import type * as InboxModule from './pages/Inbox';
import { preload, preloaded } from './preload';
import { matchPath } from './router';
import type { Me } from './session';
import { may } from './session';

const InboxPage = lazy(() => preload('inbox', () => import('./pages/Inbox')).then((module) => ({ default: module.InboxPage })));

/** The inbox, rendered at once when its code came with the first load (see boot.ts), else when it arrives. */
function Inbox({ me }: { me: Me }) {
  const Page = preloaded<typeof InboxModule>('inbox')?.InboxPage ?? InboxPage;
  return <Page me={me} />;
}
const TaskPage = lazy(() => import('./pages/Task').then((module) => ({ default: module.TaskPage })));
const DeadlinesPage = lazy(() => import('./pages/Deadlines').then((module) => ({ default: module.DeadlinesPage })));
const InstancesPage = lazy(() => import('./pages/Instances').then((module) => ({ default: module.InstancesPage })));
const InstancePage = lazy(() => import('./pages/Instance').then((module) => ({ default: module.InstancePage })));
const DefinitionsPage = lazy(() => import('./pages/Definitions').then((module) => ({ default: module.DefinitionsPage })));
const StatisticsPage = lazy(() => import('./pages/Statistics').then((module) => ({ default: module.StatisticsPage })));
const CalendarPage = lazy(() => import('./pages/Calendar').then((module) => ({ default: module.CalendarPage })));
const AuditPage = lazy(() => import('./pages/Audit').then((module) => ({ default: module.AuditPage })));
const UsersPage = lazy(() => import('./pages/Users').then((module) => ({ default: module.UsersPage })));
const CluePage = lazy(() => import('./pages/Clue').then((module) => ({ default: module.CluePage })));
const ClueRegisterPage = lazy(() => import('./pages/ClueRegister').then((module) => ({ default: module.ClueRegisterPage })));
const CluesPage = lazy(() => import('./pages/Clues').then((module) => ({ default: module.CluesPage })));

/** A page of the console: its path, the permission it needs, its menu entry (if any), and what it renders. */
export interface ConsoleRoute {
  path: string;
  /** The permission the page needs; with several, any of them opens it. */
  permission: Permission | Permission[];
  title: string;
  /** The menu entry this page belongs to (a detail page lights its list's entry). */
  menu: string;
  icon?: ReactNode;
  inMenu: boolean;
  render(me: Me, params: Record<string, string>, query: URLSearchParams): ReactNode;
}

export const ROUTES: ConsoleRoute[] = [
  { path: '/', permission: 'tasks.work', title: '我的待办', menu: '/', icon: <InboxOutlined />, inMenu: true, render: (me) => <Inbox me={me} /> },
  { path: '/tasks/:id', permission: 'tasks.work', title: '办理任务', menu: '/', inMenu: false, render: (me, params) => <TaskPage me={me} id={params.id!} /> },
  { path: '/deadlines', permission: 'deadlines.read', title: '期限看板', menu: '/deadlines', icon: <AlertOutlined />, inMenu: true, render: () => <DeadlinesPage /> },
  { path: '/instances', permission: 'instances', title: '流程实例', menu: '/instances', icon: <NodeIndexOutlined />, inMenu: true, render: () => <InstancesPage /> },
  { path: '/instances/:id', permission: 'instances', title: '流程实例详情', menu: '/instances', inMenu: false, render: (_me, params) => <InstancePage id={params.id!} /> },
  { path: '/clues', permission: 'clues.handle', title: '线索台账', menu: '/clues', icon: <DatabaseOutlined />, inMenu: true, render: (me, _params, query) => <CluesPage me={me} query={query} /> },
  { path: '/clues/new', permission: 'clues.register', title: '登记问题线索', menu: '/clues', inMenu: false, render: () => <ClueRegisterPage /> },
  { path: '/clues/:id', permission: 'clues.handle', title: '线索详情', menu: '/clues', inMenu: false, render: (_me, params) => <CluePage id={params.id!} /> },
  { path: '/statistics', permission: 'clues.ledger', title: '统计', menu: '/statistics', icon: <BarChartOutlined />, inMenu: true, render: () => <StatisticsPage /> },
  { path: '/calendar', permission: 'calendar.read', title: '工作日历', menu: '/calendar', icon: <CalendarOutlined />, inMenu: true, render: (me) => <CalendarPage me={me} /> },
  { path: '/users', permission: ['directory.edit', 'roles.grant', 'passwords.reset'], title: '用户与角色', menu: '/users', icon: <TeamOutlined />, inMenu: true, render: (me) => <UsersPage me={me} /> },
  { path: '/audit', permission: 'audit.read', title: '审计', menu: '/audit', icon: <AuditOutlined />, inMenu: true, render: () => <AuditPage /> },
  { path: '/definitions', permission: 'definitions.read', title: '流程定义', menu: '/definitions', icon: <ApartmentOutlined />, inMenu: true, render: (me) => <DefinitionsPage me={me} /> },
];

/** The route a path opens, with its parameters; null for a path the console does not have. */
export function routeOf(path: string): { route: ConsoleRoute; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** Whether the caller may open the page. */
export function allowed(me: Me, route: ConsoleRoute): boolean {
  return (Array.isArray(route.permission) ? route.permission : [route.permission]).some((permission) => may(me, permission));
}
