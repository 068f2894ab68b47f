/** What an audit record's action (a route such as `POST /tasks/:id/complete`, or a named read) did, in Chinese. */

const NAMED: Record<string, string> = {
  'read-details': '查阅线索详情',
  'read-letter': '下载文书',
  'read-attachment': '下载附件',
  export: '导出台账',
  deploy: '部署流程定义',
  assign: '转办任务',
};

const RESOURCES: Record<string, string> = {
  tasks: '任务',
  'process-instances': '流程实例',
  definitions: '流程定义',
  clues: '问题线索',
  'clue-summaries': '线索季度汇总',
  calendar: '工作日历',
  users: '用户',
  units: '单位',
  'role-grants': '角色授予',
  audit: '审计记录',
  auth: '登录',
  messages: '消息',
  rounds: '巡察轮次',
  metrics: '统计',
  deadlines: '期限',
  codec: '流程数据',
  health: '运行状态',
};

const STEPS: Record<string, string> = {
  claim: '认领任务',
  unclaim: '退回任务',
  complete: '办结任务',
  assign: '转办任务',
  delegate: '委派任务',
  resolve: '办毕委派任务',
  cancel: '取消流程实例',
  retry: '重试故障',
  variables: '修改流程变量',
  clock: '推进测试时钟',
  login: '登录',
  logout: '退出登录',
  password: '修改密码',
  'password-reset': '重置密码',
  roles: '授予角色',
  approve: '批准角色授予',
  refuse: '拒绝角色授予',
  handover: '移交线索',
  grants: '授权知悉线索',
  permissions: '设置流程权限',
  export: '导出台账',
  verify: '校验审计链',
  overrides: '调整工作日历',
  years: '设置年度节假日安排',
  letters: '下载文书',
  attachments: '下载附件',
  'access-log': '查看线索访问记录',
  history: '查看办理历程',
  forecast: '查看预计期限',
  series: '查看统计分布',
  workbook: '下载汇总表',
  'dev-token': '获取开发令牌',
  methods: '查看登录方式',
  me: '查看本人信息',
  decode: '解码流程数据',
  encode: '编码流程数据',
  versions: '查看流程版本',
  graph: '查看流程结构',
  days: '查看工作日历',
  coverage: '查看日历覆盖年份',
};

const METHODS: Record<string, string> = { GET: '查看', POST: '新建', PUT: '设置', PATCH: '更正', DELETE: '删除' };

export function describeAction(action: string): string {
  if (NAMED[action]) return NAMED[action];
  const match = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(action);
  if (!match) return '其他操作';
  const [, method, path] = match as unknown as [string, string, string];
  const parts = path.split('/').filter((part) => part !== '' && !part.startsWith(':'));
  const resource = RESOURCES[parts[0] ?? ''] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && STEPS[last]) {
    const step = STEPS[last];
    // Removing a grant or a role, or an override, is the step undone.
    if (method === 'DELETE') return last === 'roles' ? '收回角色' : last === 'grants' ? '收回线索知悉授权' : `撤销${step}`;
    return step;
  }
  if (method === 'POST' && parts[0] === 'definitions') return '部署流程定义';
  if (method === 'POST' && parts[0] === 'process-instances') return '发起流程实例';
  if (method === 'POST' && parts[0] === 'clues') return '登记问题线索';
  return `${METHODS[method] ?? '操作'}${resource}`;
}

/** What an audit record's object is, in Chinese: the name the API resolved, else the kind of thing its path names. */
export function describeObject(object: string | null, objectName: string | null): string {
  if (objectName) return objectName;
  if (!object) return '—';
  if (object.startsWith('clue:')) return '问题线索';
  const first = object.split('?')[0]!.split('/').filter(Boolean)[0] ?? '';
  return RESOURCES[first] ?? '其他对象';
}

export const RESULTS: Record<string, { label: string; color: string }> = {
  success: { label: '成功', color: 'success' },
  denied: { label: '拒绝', color: 'warning' },
  failed: { label: '失败', color: 'error' },
};

export const BREAKS: Record<string, string> = {
  altered: '记录被改动',
  missing: '记录缺失',
  relinked: '记录链接被改接',
  'checkpoint-mismatch': '检查点与记录不符',
  'checkpoint-forged': '检查点签名无效',
  'head-forged': '链头签名无效',
  'head-mismatch': '链头与记录不符',
  truncated: '链尾被截断',
};
