import type { Principal } from '@xuncha/contracts';

/**
 * People of a demonstration county, one or two per actor group of the processes and one per
 * administrator role (三员 and the process administrator), seeded by `npm start` in embedded mode
 * so every inbox has someone to log in as.
 */
export const DEMO_USERS: Principal[] = [
  { sub: 'admin', name: '流程管理员', groups: ['process-admin'] },
  { sub: 'sys.admin', name: '系统管理员', groups: ['system-admin'] },
  { sub: 'sec.admin', name: '安全管理员', groups: ['security-admin'] },
  { sub: 'audit.admin', name: '审计管理员', groups: ['auditor'] },
  { sub: 'zhou.min', name: '周敏', groups: ['supervisor', 'leading-group'] },
  { sub: 'zhang.wei', name: '张伟', groups: ['inspection-office'] },
  { sub: 'li.na', name: '李娜', groups: ['inspection-group'] },
  { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] },
  { sub: 'liu.yang', name: '刘洋', groups: ['commission-liaison-office'] },
  { sub: 'chen.jing', name: '陈静', groups: ['stationed-commission-group'] },
  { sub: 'yang.lei', name: '杨磊', groups: ['organization-dept'] },
  { sub: 'zhao.qiang', name: '赵强', groups: ['inspected-unit'] },
  { sub: 'huang.li', name: '黄丽', groups: ['party-committee'] },
];
