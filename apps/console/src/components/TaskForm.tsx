import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js-viewer';
import flatpickr from 'flatpickr';
import { Mandarin } from 'flatpickr/dist/l10n/zh.js';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

// form-js' date picker (flatpickr) with Chinese month and day names.
flatpickr.localize(Mandarin);

/** form-js' own words, in Chinese. */
const WORDS: Record<string, string> = {
  'Field is required.': '此项为必填项。',
  'Field must be a valid email.': '请输入有效的电子邮箱。',
  'Field must be a valid international phone number. (e.g. +4930664040900)': '请输入有效的电话号码（如 +8610xxxxxxxx）。',
  'Field must have maximum length of {value}.': '最多 {value} 个字符。',
  'Field must have minimum length of {value}.': '至少 {value} 个字符。',
  'Field must have maximum value of {value}.': '不得大于 {value}。',
  'Field must have minimum value of {value}.': '不得小于 {value}。',
  'Field must match pattern {value}.': '格式不符合要求。',
  'Date and time must both be entered.': '日期和时间须同时填写。',
  'Value is expected to be an integer.': '请输入整数。',
  'Value is expected to have at most 1 decimal digit.': '最多保留 1 位小数。',
  'Value is expected to have at most {value} decimal digits.': '最多保留 {value} 位小数。',
  'Value is not a number.': '请输入数字。',
  'Please select a valid value, the two nearest valid values are {previousValue} and {nextValue}.': '请输入有效值，最接近的有效值为 {previousValue} 和 {nextValue}。',
  'Increment': '增加',
  'Decrement': '减少',
  'Search': '搜索',
  'No results': '无匹配项',
  'Remove tag': '移除',
  'Add new': '新增',
  'Collapse': '收起',
  'Expand all ({value})': '展开全部（{value}）',
  'Next page': '下一页',
  'Previous page': '上一页',
  '{page} of {total}': '第 {page} 页，共 {total} 页',
  'Nothing to show.': '暂无内容。',
  'No content to show.': '暂无内容。',
  'No files selected': '未选择文件',
  '{value} files selected': '已选择 {value} 个文件',
  'All values selected': '已全选',
  'Download {fileName}': '下载 {fileName}',
  'Unable to download document': '无法下载文件',
  'Document reference is not defined.': '未指定文件。',
  'Skip to search': '跳到搜索',
  'Click to sort by {value} ascending': '按 {value} 升序排列',
  'Click to sort by {value} descending': '按 {value} 降序排列',
  'Click to remove sorting': '取消排序',
};

function translate(template: string, replacements: Record<string, unknown> = {}): string {
  return (WORDS[template] ?? template).replace(/{([^}]+)}/g, (_, key: string) => String(replacements[key] ?? `{${key}}`));
}

/** A form-js schema, as the engine validates it. */
export interface FormSchema {
  components?: Array<{ id?: string; key?: string; path?: string; components?: FormSchema['components'] }>;
  [property: string]: unknown;
}

export interface TaskFormHandle {
  /** Validates in the browser; answers the values, or null when a field shows an error. */
  submit(): Record<string, unknown> | null;
  /** Shows the server's refusals at their fields (by variable name); answers those it could not place. */
  showErrors(errors: Array<{ field: string; message: string }>): Array<{ field: string; message: string }>;
}

/** The label of the field that sets `field` (a dotted name inside groups with a path), or the name itself. */
export function labelOf(schema: FormSchema, field: string, prefix = ''): string | null {
  for (const component of schema.components ?? []) {
    const nested = component as { components?: FormSchema['components']; path?: string; key?: string; label?: string };
    if (nested.components) {
      const found = labelOf({ components: nested.components }, field, nested.path ? `${prefix}${nested.path}.` : prefix);
      if (found) return found;
    } else if (nested.key && `${prefix}${nested.key}` === field) {
      return nested.label ?? null;
    }
  }
  return null;
}

/** The ids of the form's fields by the variable each sets (a field inside a group with a path by its dotted name). */
function fieldIds(components: FormSchema['components'], prefix = '', into: Record<string, string> = {}): Record<string, string> {
  for (const component of components ?? []) {
    if (component.components) fieldIds(component.components, component.path ? `${prefix}${component.path}.` : prefix, into);
    else if (component.key && component.id) into[`${prefix}${component.key}`] = component.id;
  }
  return into;
}

/** A task's form, rendered by form-js from the schema the engine checks completions against. */
export const TaskForm = forwardRef<TaskFormHandle, { schema: FormSchema; data: Record<string, unknown>; disabled?: boolean }>(function TaskForm({ schema, data, disabled }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);
  // The latest `disabled`: a claim may land while the schema is still being imported.
  const disabledNow = useRef(disabled === true);
  disabledNow.current = disabled === true;

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const instance = new Form({ container: element, additionalModules: [{ translate: ['value', translate] }] });
    form.current = instance;
    void instance.importSchema(schema, data).then(() => instance.setProperty('disabled', disabledNow.current));
    return () => {
      instance.destroy();
      form.current = null;
    };
    // The form is built once per schema and data; `disabled` is applied below.
  }, [schema, data]);

  useEffect(() => {
    form.current?.setProperty('disabled', disabled === true);
  }, [disabled]);

  useImperativeHandle(ref, () => ({
    submit() {
      if (!form.current) return null;
      const { data: values, errors } = form.current.submit();
      return Object.keys(errors).length > 0 ? null : (values as Record<string, unknown>);
    },
    showErrors(errors) {
      const ids = fieldIds(schema.components);
      const placed: Record<string, string[]> = {};
      const unplaced: Array<{ field: string; message: string }> = [];
      for (const error of errors) {
        const id = ids[error.field];
        if (id) (placed[id] ??= []).push(error.message);
        else unplaced.push(error);
      }
      (form.current as unknown as { _setState(state: { errors: Record<string, string[]> }): void } | null)?._setState({ errors: placed });
      return unplaced;
    },
  }));

  return <div ref={container} className="task-form" />;
});
