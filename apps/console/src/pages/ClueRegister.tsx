import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Result, Select, Space, Spin } from 'antd';
import type { FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { forgetLookups } from '../lookups';
import { problemsOf } from '../problems';
import { navigate } from '../router';

interface Unit {
  id: string;
  name: string;
  kind: string;
}

interface Round {
  id: string;
  name: string;
  inspectedUnits: Unit[];
}

interface Values {
  round?: string;
  unit?: string;
  office?: string;
  category?: string;
  receivedOn?: Dayjs;
  summary?: string;
  persons?: Array<{ name?: string; position?: string }>;
  restricted?: boolean;
}

const CATEGORIES: Array<{ value: string; label: string }> = [
  { value: 'discipline', label: '违反党纪' },
  { value: 'duty-crime', label: '职务违法犯罪' },
  { value: 'conduct', label: '作风问题' },
  { value: 'personnel', label: '选人用人' },
  { value: 'ideology', label: '意识形态' },
  { value: 'other', label: '其他' },
];

/** Why the server refused a field, in the words of this form. */
const REFUSED: Record<string, string> = {
  round: '请选择巡察轮次',
  unit: '该单位不在所选轮次的巡察范围内',
  office: '请选择纪委监委的承办室或负责处理的部门',
  receivedOn: '收到日期须为有效日期，且不晚于今天',
  summary: '请填写线索摘要（不超过 5000 字）',
};

/** A server field name ("persons[0].name") as the form's path (["persons", 0, "name"]). */
function pathOf(field: string): FieldName {
  return field.split(/[.[\]]+/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part)) as FieldName;
}

type FieldName = Parameters<FormInstance<Values>['setFields']>[0][number]['name'];

/**
 * 登记线索: a clue the round transfers, registered once. The request id is made when the page
 * opens, so pressing 登记 twice (or again after a lost answer) registers it only once.
 */
export function ClueRegisterPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [offices, setOffices] = useState<Unit[]>([]);
  const [failed, setFailed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const requestId = useMemo(() => crypto.randomUUID(), []);
  const round = Form.useWatch('round', form);

  useEffect(() => {
    void (async () => {
      try {
        const [roundList, unitList] = await Promise.all([
          api<{ items: Round[] }>('GET', '/rounds?pageSize=200'),
          api<Unit[] | { items: Unit[] }>('GET', '/units'),
        ]);
        setRounds(roundList.items);
        setOffices((Array.isArray(unitList) ? unitList : unitList.items).filter((unit) => unit.kind === 'commission' || unit.kind === 'department'));
      } catch {
        setFailed(true);
      }
    })();
  }, []);

  const units = rounds?.find((item) => item.id === round)?.inspectedUnits ?? [];

  const submit = async (values: Values): Promise<void> => {
    setSaving(true);
    setRefusal(null);
    try {
      const clue = await api<{ id: string; number: string }>('POST', '/clues', {
        round: values.round,
        unit: values.unit,
        office: values.office,
        category: values.category,
        receivedOn: values.receivedOn?.format('YYYY-MM-DD'),
        summary: values.summary?.trim(),
        persons: (values.persons ?? []).map((person) => ({ name: person.name?.trim() ?? '', position: person.position?.trim() ?? '' })),
        restricted: values.restricted === true,
        requestId,
      });
      forgetLookups();
      void message.success(`已登记线索 ${clue.number}`);
      navigate(`/clues/${clue.id}`);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
        const problems = problemsOf(error.details);
        if (problems.length > 0) {
          form.setFields(problems.map((problem) => ({ name: pathOf(problem.field), errors: [REFUSED[problem.field] ?? problem.text] })));
          return;
        }
      }
      setRefusal(error instanceof ApiError && error.status === 403 ? '您没有登记问题线索的权限' : '登记未成功，请稍后重试');
    } finally {
      setSaving(false);
    }
  };

  if (failed) return <Result status="error" title="登记表加载失败" subTitle="未能读取巡察轮次与单位，请刷新页面重试" />;
  if (rounds === null) return <Spin tip="正在加载…" style={{ display: 'block', margin: '80px auto' }}><div /></Spin>;
  return (
    <Card title="登记问题线索" style={{ maxWidth: 880 }}>
      {refusal && <Alert type="error" showIcon message={refusal} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark
        initialValues={{ receivedOn: dayjs(), persons: [{}], restricted: false }}
        onFinish={(values) => void submit(values)}
        scrollToFirstError
      >
        <Space wrap size="large" align="start">
          <Form.Item name="round" label="巡察轮次" rules={[{ required: true, message: '请选择巡察轮次' }]} style={{ width: 300 }}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder="选择移交线索的巡察轮次"
              options={rounds.map((item) => ({ value: item.id, label: item.name }))}
              onChange={() => form.setFieldValue('unit', undefined)}
              notFoundContent="尚无巡察轮次"
            />
          </Form.Item>
          <Form.Item name="unit" label="被巡察单位" rules={[{ required: true, message: '请选择线索涉及的被巡察单位' }]} style={{ width: 260 }}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={round ? '选择被巡察单位' : '请先选择巡察轮次'}
              disabled={!round}
              options={units.map((unit) => ({ value: unit.id, label: unit.name }))}
            />
          </Form.Item>
        </Space>
        <Space wrap size="large" align="start">
          <Form.Item name="office" label="承办部门" rules={[{ required: true, message: '请选择承办部门' }]} style={{ width: 300 }}>
            <Select showSearch optionFilterProp="label" placeholder="纪委监委承办室或处理部门" options={offices.map((unit) => ({ value: unit.id, label: unit.name }))} notFoundContent="目录中尚无承办部门" />
          </Form.Item>
          <Form.Item name="category" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]} style={{ width: 180 }}>
            <Select placeholder="选择类别" options={CATEGORIES} />
          </Form.Item>
          <Form.Item name="receivedOn" label="收到日期" rules={[{ required: true, message: '请选择收到日期' }]}>
            <DatePicker style={{ width: 170 }} placeholder="选择日期" format="YYYY年M月D日" disabledDate={(day) => day.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Space>
        <Form.Item
          name="summary"
          label="线索摘要"
          rules={[
            { required: true, whitespace: true, message: '请填写线索摘要' },
            { max: 5000, message: '线索摘要不超过 5000 字' },
          ]}
          extra="仅线索的知悉范围内人员可见，不进入流程变量"
        >
          <Input.TextArea rows={4} showCount maxLength={5000} placeholder="反映的问题" />
        </Form.Item>
        <Form.Item label="涉及人员" required={false}>
          <Form.List name="persons">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 50, message: '姓名不超过 50 字' }]}>
                      <Input placeholder="姓名" aria-label={`涉及人员${index + 1}姓名`} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'position']} rules={[{ max: 100, message: '职务不超过 100 字' }]}>
                      <Input placeholder="单位及职务" aria-label={`涉及人员${index + 1}职务`} style={{ width: 280 }} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={`删除涉及人员${index + 1}`} onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  添加涉及人员
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="restricted" valuePropName="checked">
          <Checkbox>受限线索（边巡边移等）：台账行也仅知悉范围内人员可见</Checkbox>
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            登记
          </Button>
          <Button onClick={() => navigate('/clues')}>取消</Button>
        </Space>
      </Form>
    </Card>
  );
}
