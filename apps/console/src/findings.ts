/** What each rule of the model check means, in Chinese, by its stable code (a finding's `rule`). */
const RULES: Record<string, string> = {
  'xml-well-formed': '文件不是格式正确的 XML',
  'xml-safety': '文件含有不安全的 XML 内容（外部实体或声明）',
  'bpmn-namespace': '文件不是 BPMN 2.0 模型（命名空间不符）',
  'bpmn-references': '元素引用了不存在的元素',
  'no-duplicate-ids': '元素编号重复',
  'storable-text': '含有无法保存的字符（空字符或不成对的代理字符）',
  'executable-process': '没有可执行的流程（请勾选“可执行”）',
  'exploding-rule': '检查此元素时出错',
  'supported-elements': '引擎不支持此类元素',
  'flow-element-limit': '流程元素过多',
  'form-definition': '用户任务引用的表单不存在或有误',
  'timer-start': '定时启动事件的设置有误',
  'boundary-attachment': '边界事件的设置有误（须附着于本层活动并有出口）',
  'call-activity-process': '调用活动未指明被调用的流程',
  'error-code': '错误事件未指明错误代码',
  'event-based-gateway': '事件网关之后须为两个以上的定时或消息捕获事件',
  'event-subprocess-start': '事件子流程须有且只有一个带触发器的开始事件，且没有连线',
  'feel-required': '此处须为 FEEL 表达式（以“=”开头）',
  'feel-syntax': 'FEEL 表达式有语法错误',
  'gateway-conditions': '网关出口的条件设置有误（除默认出口外都须有条件）',
  'message-reference': '消息事件未指明消息名称或关联键',
  'multi-instance-collection': '多实例活动缺少输入集合，或输出集合与输出元素不成对',
  'no-dead-end': '此节点没有出口，流程将在此结束',
  'none-start-event': '流程缺少开始事件，或空开始事件多于一个',
  'reachable-flow-nodes': '此节点无法到达',
  'service-task-type': '服务任务未指明任务类型',
  'timer-definition': '定时器的日期、时长或周期有误',
  'user-task-assignment': '用户任务未指定办理人或候选组，将交给默认组',
  unchanged: '与最新版本相同，未生成新版本',
};

export interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  elementId: string | null;
  elementType: string | null;
  message: string;
  line: number | null;
}

export function describeFinding(finding: Pick<Finding, 'rule'>): string {
  return RULES[finding.rule] ?? '模型不符合规则';
}
