import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Col, Empty, Result, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ROLES } from '../../../../libs/contracts/src/permissions';
import { NameSelect } from '../components/NameSelect';
import { api } from '../api';
import { formatDate, formatDateTime, urgencyOf, workingDaysText } from '../format';
import { useLookups } from '../lookups';
import { Link } from '../router';

interface Deadline {
  kind: 'task' | 'timer';
  id: string;
  processInstanceId: string;
  definitionKey: string;
  businessKey: string | null;
  elementId: string;
  name: string | null;
  dueDate: string;
  who: { assignee: string | null; candidateGroups: string[]; candidateUsers: string[] };
  overdue: boolean;
  workingDaysLeft: number;
  warning: string | null;
  roundId: string | null;
  officeId: string | null;
}

interface DeadlinePage {
  items: Deadline[];
  total: number;
  totalExact: boolean;
}

type Grouping = 'office' | 'round' | 'process' | 'none';
type Window = 'P5D' | 'P15D' | 'P30D';

const REFRESH_MS = 30_000;

/** The traffic light of a deadline: red overdue, amber within three working days, green otherwise. */
function Light({ item }: { item: Pick<Deadline, 'overdue' | 'workingDaysLeft'> }) {
  const urgency = urgencyOf(item.overdue, item.workingDaysLeft);
  return <Badge status={urgency === 'overdue' ? 'error' : urgency === 'soon' ? 'warning' : 'success'} text={workingDaysText(item.overdue, item.workingDaysLeft)} />;
}

function groupName(group: string, units: Record<string, string>): string {
  return (ROLES as Record<string, { label: string }>)[group]?.label ?? units[group] ?? group;
}

/** 期限看板: open tasks and pending timers due soon or overdue, traffic lights, grouped by office, round or process, refreshing by itself. */
export function DeadlinesPage() {
  const lookups = useLookups();
  const [items, setItems] = useState<Deadline[] | null>(null);
  const [total, setTotal] = useState(0);
  const [failed, setFailed] = useState(false);
  const [within, setWithin] = useState<Window>('P15D');
  const [grouping, setGrouping] = useState<Grouping>('office');
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const [round, setRound] = useState<string | undefined>();
  const [office, setOffice] = useState<string | undefined>();

  const load = useCallback(async () => {
    try {
      const query = new URLSearchParams({ within, pageSize: '200' });
      if (round) query.set('round', round);
      if (office) query.set('office', office);
      const page = await api<DeadlinePage>('GET', `/deadlines?${query.toString()}`);
      setItems(page.items);
      setTotal(page.total);
      setFailed(false);
      setLoadedAt(new Date().toISOString());
    } catch {
      setFailed(true);
    }
  }, [within, round, office]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const counts = useMemo(() => {
    const list = items ?? [];
    return {
      overdue: list.filter((item) => item.overdue).length,
      soon: list.filter((item) => !item.overdue && item.workingDaysLeft <= 3).length,
      later: list.filter((item) => !item.overdue && item.workingDaysLeft > 3).length,
    };
  }, [items]);

  const groups = useMemo(() => {
    const list = items ?? [];
    if (grouping === 'none') return [{ key: 'all', title: '全部期限', rows: list }];
    const by = new Map<string, Deadline[]>();
    // By office: the unit that handles the instance (a clue's office), else the groups the task is offered to.
    const keysOf = (item: Deadline): string[] => {
      if (grouping === 'round') return [item.roundId ? `round:${item.roundId}` : 'none'];
      if (grouping === 'process') return [`process:${item.definitionKey}`];
      if (item.officeId) return [`unit:${item.officeId}`];
      return item.who.candidateGroups.length > 0 ? item.who.candidateGroups.map((group) => `group:${group}`) : ['none'];
    };
    const titleOf = (key: string): string => {
      const [kind, id = ''] = key.split(/:(.*)/s);
      if (kind === 'round') return lookups.rounds[id] ?? '（已删除的轮次）';
      if (kind === 'process') return lookups.processes[id] ?? id;
      if (kind === 'unit') return lookups.units[id] ?? id;
      if (kind === 'group') return groupName(id, lookups.units);
      return grouping === 'round' ? '未关联巡察轮次' : '个人任务';
    };
    for (const item of list) {
      for (const key of keysOf(item)) by.set(key, [...(by.get(key) ?? []), item]);
    }
    return [...by.entries()]
      .map(([key, rows]) => ({ key, title: titleOf(key), rows }))
      .sort((a, b) => b.rows.filter((row) => row.overdue).length - a.rows.filter((row) => row.overdue).length || a.title.localeCompare(b.title, 'zh-CN'));
  }, [items, grouping, lookups]);

  const columns: ColumnsType<Deadline> = [
    { title: '状态', key: 'light', width: 170, render: (_value, item) => <Light item={item} /> },
    {
      title: '事项',
      dataIndex: 'name',
      render: (_value, item) =>
        item.kind === 'task' ? (
          <Link to={`/tasks/${item.id}`}>{item.name ?? '（未命名任务）'}</Link>
        ) : (
          <Space size={4}>
            <Tag>定时</Tag>
            {item.name ?? '（未命名定时事件）'}
          </Space>
        ),
    },
    { title: '流程', dataIndex: 'definitionKey', render: (key: string) => lookups.processes[key] ?? key },
    { title: '业务编号', dataIndex: 'businessKey', render: (value: string | null) => value ?? '—' },
    {
      title: '办理人',
      key: 'who',
      render: (_value, item) =>
        item.who.assignee ? (lookups.people[item.who.assignee] ?? item.who.assignee) : item.who.candidateGroups.length > 0 ? item.who.candidateGroups.map((group) => groupName(group, lookups.units)).join('、') : '—',
    },
    { title: '期限', dataIndex: 'dueDate', width: 150, render: (value: string) => formatDate(value) },
  ];

  if (failed && items === null) return <Result status="error" title="期限加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col span={8}>
          <Card size="small">
            <Statistic title="已逾期" value={counts.overdue} valueStyle={{ color: '#cf1322' }} suffix="项" />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small">
            <Statistic title="3 个工作日内到期" value={counts.soon} valueStyle={{ color: '#d48806' }} suffix="项" />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small">
            <Statistic title="其他临近期限" value={counts.later} valueStyle={{ color: '#389e0d' }} suffix="项" />
          </Card>
        </Col>
      </Row>
      <Card
        title="期限看板"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            刷新
          </Button>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <NameSelect label="巡察轮次" placeholder="全部轮次" names={lookups.rounds} value={round} onChange={setRound} />
          <NameSelect label="承办部门" placeholder="全部承办部门" names={lookups.units} value={office} onChange={setOffice} />
          <Segmented<Window>
            value={within}
            onChange={setWithin}
            options={[
              { label: '5 天内', value: 'P5D' },
              { label: '15 天内', value: 'P15D' },
              { label: '30 天内', value: 'P30D' },
            ]}
          />
          <Segmented<Grouping>
            value={grouping}
            onChange={setGrouping}
            options={[
              { label: '按承办部门', value: 'office' },
              { label: '按巡察轮次', value: 'round' },
              { label: '按流程', value: 'process' },
              { label: '不分组', value: 'none' },
            ]}
          />
        </Space>
        <Typography.Paragraph type="secondary">
          含已逾期事项及所选期间内到期的任务和定时事件，每 30 秒自动刷新{loadedAt ? `（更新于 ${formatDateTime(loadedAt)}）` : ''}；共 {total} 项
          {items !== null && total > items.length ? `，此处显示最早到期的 ${items.length} 项，请按轮次或承办部门筛选查看其余` : ''}。
        </Typography.Paragraph>
        {items !== null && items.length === 0 ? (
          <Empty description="所选期间内没有到期或逾期的事项" />
        ) : (
          groups.map((group) => (
            <div key={group.key} className="deadline-group">
              <Typography.Title level={5}>
                {group.title}
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8 }}>
                  {group.rows.length} 项{group.rows.some((row) => row.overdue) ? `，逾期 ${group.rows.filter((row) => row.overdue).length} 项` : ''}
                </Typography.Text>
              </Typography.Title>
              <Table<Deadline>
                size="small"
                rowKey={(item) => `${item.kind}:${item.id}`}
                loading={items === null}
                columns={columns}
                dataSource={group.rows}
                pagination={group.rows.length > 20 ? { pageSize: 20 } : false}
                rowClassName={(item) => {
                  const urgency = urgencyOf(item.overdue, item.workingDaysLeft);
                  return urgency === 'overdue' ? 'row-overdue' : urgency === 'soon' ? 'row-soon' : '';
                }}
              />
            </div>
          ))
        )}
      </Card>
    </Space>
  );
}
