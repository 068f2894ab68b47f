/** The API's stable codes for an invalid field, in Chinese: form rules of the engine and the request rules of the API. */
const FORM_RULES: Record<string, (limit?: number | string) => string> = {
  required: () => '此项为必填项',
  'not-text': () => '须填写文字',
  'too-short': (limit) => `至少 ${limit} 个字符`,
  'too-long': (limit) => `最多 ${limit} 个字符`,
  pattern: () => '格式不符合要求',
  'not-number': () => '须填写数字',
  'too-small': (limit) => `不得小于 ${limit}`,
  'too-large': (limit) => `不得大于 ${limit}`,
  'not-boolean': () => '须选择是或否',
  'not-an-option': () => '须从给定选项中选择',
  'not-a-list': () => '须为多选',
  'not-a-date': () => '须为有效日期',
  'not-a-time': () => '须为有效时间',
  'not-a-date-time': () => '须为有效的日期和时间',
  // Request rules (class-validator's names).
  isNotEmpty: () => '此项为必填项',
  isDefined: () => '此项为必填项',
  isString: () => '须填写文字',
  isInt: () => '须填写整数',
  isNumber: () => '须填写数字',
  isBoolean: () => '须选择是或否',
  isIn: () => '须从给定选项中选择',
  isEnum: () => '须从给定选项中选择',
  isArray: () => '须为列表',
  isObject: () => '格式不符合要求',
  isUuid: () => '须选择一项',
  matches: () => '格式不符合要求',
  length: () => '长度不符合要求',
  maxLength: () => '内容过长',
  minLength: () => '内容过短',
  min: () => '数值过小',
  max: () => '数值过大',
  arrayMaxSize: () => '项数过多',
  whitelistValidation: () => '不应填写此项',
};

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  limit?: number | string;
}

export function describeProblem(problem: Pick<FieldProblem, 'code' | 'limit'>): string {
  return FORM_RULES[problem.code]?.(problem.limit) ?? '填写有误';
}

/** The problems of a refusal's details (`fields`, or the one `field`), each with its Chinese words. */
export function problemsOf(details: Record<string, unknown>): Array<FieldProblem & { text: string }> {
  const fields = Array.isArray(details.fields) ? (details.fields as FieldProblem[]) : typeof details.field === 'string' ? [{ field: details.field, code: 'invalid', message: '' }] : [];
  return fields.map((problem) => ({ ...problem, text: describeProblem(problem) }));
}
