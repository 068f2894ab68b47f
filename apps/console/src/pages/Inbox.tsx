import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Result, Segmented, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { NameSelect } from '../components/NameSelect';
import { api, ApiError, peek } from '../api';
import { formatDate, formatDateTime, urgencyOf, workingDaysText } from '../format';
import { INBOX_FIRST_PAGE } from '../inbox-query';
import { useLookups } from '../lookups';
import { Link } from '../router';
import type { Me } from '../session';

interface Task {
  id: string;
  name: string | null;
  definitionKey: string;
  businessKey: string | null;
  assignee: string | null;
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidateGroups: string[];
  dueDate: string | null;
  state: string;
  createdAt: string;
  overdue: boolean;
  workingDaysLeft: number | null;
  warnings: string[];
}

interface TaskPage {
  items: Task[];
  total: number;
  totalExact: boolean;
}

type Filter = 'all' | 'mine' | 'unclaimed';
type Sort = 'dueDate' | 'created';

const REFRESH_MS = 15_000;

/** 我的待办: the caller's tasks and their groups' unclaimed ones, by due date, overdue red and due soon amber; paged, sorted and filtered by the API. */
export function InboxPage({ me }: { me: Me }) {
  const { message } = App.useApp();
  const { processes: names, people, rounds, units, loaded } = useLookups();
  // The first page may have arrived while this page's code was on its way (see main.tsx): shown in the first render.
  const [early] = useState(() => peek<TaskPage>(INBOX_FIRST_PAGE));
  const [tasks, setTasks] = useState<Task[] | null>(early?.items ?? null);
  const [total, setTotal] = useState(early?.total ?? 0);
  const [failed, setFailed] = useState(false);
  const [filter, setFilter] = useState<Filter>('all');
  const [process, setProcess] = useState<string | undefined>();
  const [round, setRound] = useState<string | undefined>();
  const [office, setOffice] = useState<string | undefined>();
  const [sort, setSort] = useState<{ by: Sort; order: 'asc' | 'desc' }>({ by: 'dueDate', order: 'asc' });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [acting, setActing] = useState<string | null>(null);

  const load = useCallback(async () => {
    // The first page's address is the one main.tsx asks for early: keep the two alike.
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize), sort: sort.by, order: sort.order });
    if (filter === 'mine') query.set('assignee', me.sub);
    if (filter === 'unclaimed') query.set('state', 'created');
    if (process) query.set('definitionKey', process);
    if (round) query.set('round', round);
    if (office) query.set('office', office);
    try {
      const answer = await api<TaskPage>('GET', `/tasks?${query.toString()}`);
      setTasks(answer.items);
      setTotal(answer.total);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [page, pageSize, sort, filter, process, round, office, me.sub]);

  useEffect(() => {
    void load();
    // New and finished tasks show without a reload.
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  /** A filter changed: back to the first page. */
  const refilter = <T,>(set: (value: T) => void) => (value: T): void => {
    set(value);
    setPage(1);
  };

  const act = async (task: Task, action: 'claim' | 'unclaim'): Promise<void> => {
    setActing(task.id);
    try {
      await api('POST', `/tasks/${task.id}/${action}`, {});
      message.success(action === 'claim' ? `已认领“${task.name ?? '任务'}”` : `已退回“${task.name ?? '任务'}”`);
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 409 ? '任务已被他人认领或已办结' : '操作失败，请稍后再试');
    } finally {
      setActing(null);
      await load();
    }
  };

  const columns: ColumnsType<Task> = [
    {
      title: '任务',
      dataIndex: 'name',
      render: (_value, task) => (
        <div className="cell-stack">
          <Link to={`/tasks/${task.id}`} className="task-link">
            {task.name ?? '（未命名任务）'}
          </Link>
          {task.delegation === 'pending' && <Tag color="blue">{people[task.owner ?? ''] ?? '他人'} 委派</Tag>}
        </div>
      ),
    },
    { title: '流程', dataIndex: 'definitionKey', render: (key: string) => names[key] ?? key },
    { title: '业务编号', dataIndex: 'businessKey', render: (value: string | null) => value ?? '—' },
    {
      title: '办理期限',
      dataIndex: 'dueDate',
      key: 'dueDate',
      sorter: true,
      sortOrder: sort.by === 'dueDate' ? (sort.order === 'asc' ? 'ascend' : 'descend') : null,
      render: (_value, task) => {
        const urgency = urgencyOf(task.overdue, task.workingDaysLeft);
        const color = urgency === 'overdue' ? 'red' : urgency === 'soon' ? 'orange' : urgency === 'normal' ? 'green' : 'default';
        return (
          <div className="cell-stack">
            <span>{formatDate(task.dueDate)}</span>
            {task.dueDate &&
              (task.warnings.length > 0 ? (
                <Tooltip title="该年度缺少官方节假日数据，期限可能有偏差">
                  <Tag color={color}>{workingDaysText(task.overdue, task.workingDaysLeft)}</Tag>
                </Tooltip>
              ) : (
                <Tag color={color}>{workingDaysText(task.overdue, task.workingDaysLeft)}</Tag>
              ))}
          </div>
        );
      },
    },
    {
      title: '到达时间',
      dataIndex: 'createdAt',
      key: 'created',
      sorter: true,
      sortOrder: sort.by === 'created' ? (sort.order === 'asc' ? 'ascend' : 'descend') : null,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: '状态',
      dataIndex: 'assignee',
      render: (assignee: string | null) => (assignee === null ? <Tag>待认领</Tag> : assignee === me.sub ? <Tag color="processing">我已认领</Tag> : <Tag>{people[assignee] ?? '他人'} 办理中</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_value, task) =>
        task.assignee === null ? (
          <Button type="link" loading={acting === task.id} onClick={() => void act(task, 'claim')}>
            认领
          </Button>
        ) : task.assignee === me.sub ? (
          <span className="cell-row">
            <Link to={`/tasks/${task.id}`} className="ant-btn ant-btn-link">
              办理
            </Link>
            <Button type="link" loading={acting === task.id} onClick={() => void act(task, 'unclaim')}>
              退回
            </Button>
          </span>
        ) : null,
    },
  ];

  if (failed && tasks === null) {
    return <Result status="error" title="待办加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  }
  return (
    <Card
      title="我的待办"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          刷新
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <NameSelect label="流程" placeholder="全部流程" names={names} value={process} onChange={refilter(setProcess)} width={160} />
        <NameSelect label="巡察轮次" placeholder="全部轮次" names={rounds} value={round} onChange={refilter(setRound)} width={160} />
        <NameSelect label="承办部门" placeholder="全部承办部门" names={units} value={office} onChange={refilter(setOffice)} width={160} />
        <Segmented<Filter>
          value={filter}
          onChange={refilter(setFilter)}
          options={[
            { label: '全部', value: 'all' },
            { label: '我已认领', value: 'mine' },
            { label: '待认领', value: 'unclaimed' },
          ]}
        />
      </Space>
      <Table<Task>
        rowKey="id"
        loading={tasks === null || !loaded}
        columns={columns}
        dataSource={loaded ? (tasks ?? []) : []}
        onChange={(_pagination, _filters, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          if (one?.order && (one.columnKey === 'dueDate' || one.columnKey === 'created')) setSort({ by: one.columnKey, order: one.order === 'ascend' ? 'asc' : 'desc' });
          else setSort({ by: 'dueDate', order: 'asc' });
        }}
        rowClassName={(task) => {
          const urgency = urgencyOf(task.overdue, task.workingDaysLeft);
          return urgency === 'overdue' ? 'row-overdue' : urgency === 'soon' ? 'row-soon' : '';
        }}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          showTotal: (count) => `共 ${count} 项`,
          onChange: (next, size) => {
            setPage(next);
            setPageSize(size);
          },
        }}
        locale={{ emptyText: <Empty description="暂无待办" /> }}
      />
    </Card>
  );
}
