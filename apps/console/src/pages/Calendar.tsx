import { Alert, App, Button, Calendar, Card, Input, Modal, Radio, Result, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { formatDate } from '../format';
import type { Me } from '../session';
import { may } from '../session';

interface Day {
  date: string;
  working: boolean;
  name: string | null;
  covered: boolean;
}

interface Override {
  date: string;
  kind: 'workday' | 'holiday';
  note: string | null;
}

interface Coverage {
  firstYear: number;
  lastYear: number;
  missing: number[];
}

type Choice = 'workday' | 'holiday' | 'default';

const ISO = 'YYYY-MM-DD';

/** 工作日历: a month of working days with holidays and 调休, overrides edited in place, and the warning for years without data. */
export function CalendarPage({ me }: { me: Me }) {
  const { message } = App.useApp();
  const editable = may(me, 'calendar.edit');
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [days, setDays] = useState<Record<string, Day>>({});
  const [overrides, setOverrides] = useState<Record<string, Override>>({});
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [choice, setChoice] = useState<Choice>('default');
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    // The month as the calendar shows it: from the Monday before its first day, six weeks.
    const from = month.startOf('month').subtract(7, 'day').format(ISO);
    const to = month.endOf('month').add(14, 'day').format(ISO);
    try {
      const [list, set, known] = await Promise.all([
        api<Day[]>('GET', `/calendar/days?from=${from}&to=${to}`),
        api<Override[]>('GET', '/calendar/overrides'),
        api<Coverage>('GET', '/calendar/coverage'),
      ]);
      setDays(Object.fromEntries(list.map((day) => [day.date, day])));
      setOverrides(Object.fromEntries(set.map((override) => [override.date, override])));
      setCoverage(known);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [month]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = (date: string): void => {
    if (!editable) return;
    const override = overrides[date];
    setEditing(date);
    setChoice(override?.kind ?? 'default');
    setNote(override?.note ?? '');
  };

  const save = async (): Promise<void> => {
    if (!editing) return;
    setSaving(true);
    try {
      if (choice === 'default') {
        if (overrides[editing]) await api('DELETE', `/calendar/overrides/${editing}`);
      } else {
        await api('PUT', `/calendar/overrides/${editing}`, { kind: choice, ...(note.trim() ? { note: note.trim() } : {}) });
      }
      message.success(`已保存 ${formatDate(`${editing}T12:00:00+08:00`)} 的设置，运行中的流程将按新日历计算期限`);
      setEditing(null);
      await load();
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 403 ? '您没有维护工作日历的权限' : '保存失败，请稍后再试');
    } finally {
      setSaving(false);
    }
  };

  const missingYears = useMemo(() => coverage?.missing ?? [], [coverage]);

  if (failed && Object.keys(days).length === 0) return <Result status="error" title="工作日历加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;

  const cell = (value: Dayjs) => {
    const date = value.format(ISO);
    const day = days[date];
    if (!day) return null;
    const override = overrides[date];
    const weekend = value.day() === 0 || value.day() === 6;
    return (
      <div className={`calendar-day ${day.working ? '' : 'calendar-off'} ${override ? 'calendar-override' : ''}`} data-date={date}>
        {!day.working && <Tag color="green">休</Tag>}
        {day.working && weekend && <Tag color="orange">班</Tag>}
        {day.name && <Typography.Text className="calendar-name">{day.name}</Typography.Text>}
        {override && override.note !== day.name && <Typography.Text type="secondary" className="calendar-name">{override.note ?? '手工设置'}</Typography.Text>}
        {!day.covered && <Typography.Text type="warning" className="calendar-name">推算</Typography.Text>}
      </div>
    );
  };

  return (
    <Card title="工作日历" extra={<Typography.Text type="secondary">{editable ? '点击日期可设置上班或放假' : '期限按此日历以工作日计算'}</Typography.Text>}>
      {missingYears.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${missingYears.map((year) => `${year} 年`).join('、')}的节假日安排尚未录入`}
          description="这些年份的期限暂按周一至周五推算，可能有偏差。国务院办公厅公布安排后，请流程管理员逐日录入放假和调休上班的日期。"
        />
      )}
      <Calendar
        value={month}
        onPanelChange={(value) => setMonth(value)}
        onSelect={(value, info) => {
          if (info.source === 'date') open(value.format(ISO));
          if (!value.isSame(month, 'month')) setMonth(value);
        }}
        cellRender={(value, info) => (info.type === 'date' ? cell(value) : info.originNode)}
      />
      <Space wrap size="middle" className="calendar-legend" aria-label="图例">
        <span>
          <Tag color="green">休</Tag>放假
        </span>
        <span>
          <Tag color="orange">班</Tag>周末调休上班
        </span>
        <span>
          <span className="calendar-legend-override" />
          手工设置的日期
        </span>
        <span>
          <Typography.Text type="warning">推算</Typography.Text>：该年尚无官方安排，暂按周一至周五计算
        </span>
      </Space>
      <Modal
        title={editing ? `设置 ${formatDate(`${editing}T12:00:00+08:00`)}` : ''}
        open={editing !== null}
        okText="保存"
        cancelText="取消"
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Radio.Group value={choice} onChange={(event) => setChoice(event.target.value as Choice)}>
            <Radio value="holiday">放假</Radio>
            <Radio value="workday">上班（调休）</Radio>
            <Radio value="default">按默认安排</Radio>
          </Radio.Group>
          {choice !== 'default' && <Input aria-label="说明" placeholder="说明，如：2027年元旦" maxLength={100} value={note} onChange={(event) => setNote(event.target.value)} />}
        </Space>
      </Modal>
    </Card>
  );
}
