import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Popconfirm, Result, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LoadFailure } from '../api';
import { api, ApiError, failureOf } from '../api';
import { formatDateTime } from '../format';
import { useLookups } from '../lookups';
import { Link } from '../router';
import type { InstanceSummary } from './Instances';
import { STATE_TAGS } from './Instances';

const Diagram = lazy(() => import('../components/Diagram'));

interface InstanceDetail extends InstanceSummary {
  activeElements: Array<{ id: string; elementId: string; name: string | null; kind: string; wait: string | null; since: string }>;
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; elementName: string | null; type: string; message: string; createdAt: string }>;
  childIncidents: Array<{ instanceId: string; processId: string; elementId: string; incidentId: string; message: string }>;
}

interface TimelineElement {
  elementInstanceId: string;
  elementId: string;
  name: string | null;
  type: string | null;
  enteredAt: string;
  leftAt: string | null;
  outcome: 'completed' | 'terminated' | null;
  by: string | null;
  incidents: Array<{ at: string; message: string | null; resolvedAt: string | null }>;
}

interface Forecast {
  items: Array<{ dueDate: string; kind: 'task-due' | 'timer'; elementId: string; name: string | null; predicted: boolean }>;
}

const REFRESH_MS = 10_000;

const INCIDENT_TYPES: Record<string, string> = {
  'job-failed': '任务处理失败',
  'expression-failed': '表达式求值失败',
  'no-outgoing-flow': '没有可走的出口',
  'called-process-missing': '被调用的流程不存在',
  'unhandled-error': '错误未被捕获',
};

/** A variable's value as one line of text. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** 流程实例详情: the diagram with where it stands (with counts), the path taken and incidents in red; variables, timeline and coming deadlines; cancel and retry. */
export function InstancePage({ id }: { id: string }) {
  const { message } = App.useApp();
  const lookups = useLookups();
  const [instance, setInstance] = useState<InstanceDetail | null>(null);
  const [timeline, setTimeline] = useState<TimelineElement[]>([]);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [xml, setXml] = useState<string | null>(null);
  const [failure, setFailure] = useState<LoadFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const seen = useRef(0);

  /** The detail (an audited read of the instance), its timeline and the deadlines ahead. */
  const load = useCallback(async () => {
    try {
      const [detail, history, ahead] = await Promise.all([
        api<InstanceDetail>('GET', `/process-instances/${encodeURIComponent(id)}`),
        api<{ elements: TimelineElement[]; entries: unknown[] }>('GET', `/process-instances/${encodeURIComponent(id)}/history`),
        api<Forecast>('GET', `/process-instances/${encodeURIComponent(id)}/forecast?horizon=P5Y`).catch(() => null),
      ]);
      setInstance(detail);
      setTimeline(history.elements);
      seen.current = history.entries.length;
      setForecast(ahead);
      setFailure(null);
    } catch (error) {
      setFailure(failureOf(error));
    }
  }, [id]);

  useEffect(() => {
    void load();
    // The diagram moves on by itself: the timeline (not an audited read) is watched, and the
    // instance read again only when something happened.
    const timer = setInterval(() => {
      void api<{ entries: unknown[] }>('GET', `/process-instances/${encodeURIComponent(id)}/history`).then(
        (history) => {
          if (history.entries.length !== seen.current) void load();
        },
        () => undefined,
      );
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [id, load]);

  // The drawing of the version the instance runs, once it is known (again after a retry).
  const versionKey = instance ? `${instance.definitionKey}/versions/${instance.definitionVersion}` : null;
  useEffect(() => {
    if (!versionKey) return undefined;
    let live = true;
    void api<{ xml: string }>('GET', `/definitions/${versionKey.split('/versions/').map(encodeURIComponent).join('/versions/')}`).then(
      (version) => live && setXml(version.xml),
      () => live && setXml(''),
    );
    return () => {
      live = false;
    };
  }, [versionKey]);

  const marks = useMemo(() => {
    const active: Record<string, number> = {};
    for (const element of instance?.activeElements ?? []) if (element.elementId !== instance?.definitionKey) active[element.elementId] = (active[element.elementId] ?? 0) + 1;
    return {
      active,
      done: [...new Set(timeline.filter((element) => element.outcome === 'completed').map((element) => element.elementId))],
      // An incident in a called child shows on the call activity that waits for it.
      incidents: [
        ...new Set([
          ...(instance?.incidents ?? []).map((incident) => incident.elementId),
          ...((instance?.childIncidents.length ?? 0) > 0 ? (instance?.activeElements ?? []).filter((element) => element.kind === 'callActivity').map((element) => element.elementId) : []),
        ]),
      ],
    };
  }, [instance, timeline]);

  if (failure === 'not-found') return <Result status="404" title="流程实例不存在" extra={<Link to="/instances">返回流程实例</Link>} />;
  if (failure === 'forbidden') return <Result status="403" title="无权查看此流程实例" subTitle="此流程的实例只对其权限范围内的人员开放" extra={<Link to="/instances">返回流程实例</Link>} />;
  if (failure === 'error' && !instance) return <Result status="error" title="流程实例加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  if (!instance) return <Skeleton active paragraph={{ rows: 10 }} />;

  const running = instance.state === 'active' || instance.state === 'incident';
  const cancel = async (): Promise<void> => {
    setBusy(true);
    try {
      await api('POST', `/process-instances/${encodeURIComponent(id)}/cancel`, {});
      message.success('流程实例已取消');
      await load();
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 403 ? '您没有取消此流程实例的权限' : error instanceof ApiError && error.status === 409 ? '流程实例已结束' : '取消失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  const retry = async (incidentId: string, instanceId = id): Promise<void> => {
    setBusy(true);
    try {
      await api('POST', `/process-instances/${encodeURIComponent(instanceId)}/incidents/${encodeURIComponent(incidentId)}/retry`, {});
      message.success('已重试');
      await load();
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 403 ? '您没有重试的权限' : '重试失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  const variables = Object.entries(instance.variables).map(([name, value]) => ({ name, value }));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/instances" aria-label="返回流程实例">
              <ArrowLeftOutlined />
            </Link>
            <span>{lookups.processes[instance.definitionKey] ?? instance.definitionKey}</span>
            <Tag color={STATE_TAGS[instance.state].color}>{STATE_TAGS[instance.state].label}</Tag>
          </Space>
        }
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
            {running && (
              <Popconfirm title="确定取消此流程实例？" description="取消后流程不再继续，未办结的任务一并取消。" okText="取消实例" cancelText="不取消" onConfirm={() => void cancel()}>
                <Button danger loading={busy}>
                  取消实例
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="业务编号">{instance.businessKey ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="版本">第 {instance.definitionVersion} 版</Descriptions.Item>
          <Descriptions.Item label="开始时间">{formatDateTime(instance.startedAt)}</Descriptions.Item>
          <Descriptions.Item label="结束时间">{formatDateTime(instance.endedAt)}</Descriptions.Item>
          {instance.parentId && (
            <Descriptions.Item label="上级流程">
              <Link to={`/instances/${encodeURIComponent(instance.parentId)}`}>查看上级流程实例</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        {instance.incidents.map((incident) => (
          <Alert
            key={incident.id}
            type="error"
            showIcon
            style={{ marginTop: 8 }}
            message={`故障：${incident.elementName ?? incident.elementId}（${INCIDENT_TYPES[incident.type] ?? '执行失败'}）`}
            description={`发生于 ${formatDateTime(incident.createdAt)}`}
            action={
              <Button size="small" danger loading={busy} onClick={() => void retry(incident.id)}>
                重试
              </Button>
            }
          />
        ))}
        {instance.childIncidents.map((incident) => (
          <Alert
            key={incident.incidentId}
            type="error"
            showIcon
            style={{ marginTop: 8 }}
            message={`子流程“${lookups.processes[incident.processId] ?? incident.processId}”中有故障`}
            action={<Link to={`/instances/${encodeURIComponent(incident.instanceId)}`}>查看子流程</Link>}
          />
        ))}
      </Card>
      <Card title="流程图" styles={{ body: { padding: 12 } }} extra={<Typography.Text type="secondary">蓝色为当前所在环节（数字为数量），绿色为已走过的路径，红色为故障</Typography.Text>}>
        {xml === null ? (
          <Skeleton.Node active style={{ width: '100%', height: 380 }} />
        ) : xml === '' ? (
          <Alert type="info" showIcon message="无法读取此流程的图形" />
        ) : (
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 380 }} />}>
            <Diagram xml={xml} marks={marks} height={380} />
          </Suspense>
        )}
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'timeline',
              label: '办理历程',
              children:
                timeline.length === 0 ? (
                  <Empty description="暂无历程" />
                ) : (
                  <Timeline
                    items={timeline.map((element) => ({
                      color: element.incidents.some((incident) => incident.resolvedAt === null) ? 'red' : element.outcome === 'completed' ? 'green' : element.outcome === 'terminated' ? 'gray' : 'blue',
                      children: (
                        <Space direction="vertical" size={0}>
                          <Typography.Text strong>{element.name ?? element.elementId}</Typography.Text>
                          <Typography.Text type="secondary">
                            {formatDateTime(element.enteredAt)} 进入
                            {element.leftAt ? `，${formatDateTime(element.leftAt)} ${element.outcome === 'completed' ? '完成' : '终止'}` : '，进行中'}
                            {element.by ? `（${lookups.people[element.by] ?? element.by}）` : ''}
                          </Typography.Text>
                        </Space>
                      ),
                    }))}
                  />
                ),
            },
            {
              key: 'forecast',
              label: '预计期限',
              children:
                !forecast || forecast.items.length === 0 ? (
                  <Empty description={running ? '五年内没有预计的期限' : '流程已结束'} />
                ) : (
                  <Table
                    size="small"
                    rowKey={(item) => `${item.kind}:${item.elementId}:${item.dueDate}`}
                    dataSource={forecast.items}
                    pagination={false}
                    columns={[
                      { title: '期限', dataIndex: 'dueDate', render: (value: string) => formatDateTime(value) },
                      { title: '事项', dataIndex: 'name', render: (value: string | null, item) => value ?? item.elementId },
                      { title: '类型', dataIndex: 'kind', render: (value: string) => (value === 'timer' ? '定时事件' : '任务期限') },
                      { title: '依据', dataIndex: 'predicted', render: (value: boolean) => (value ? <Tag>按期办理推算</Tag> : <Tag color="blue">已确定</Tag>) },
                    ]}
                  />
                ),
            },
            {
              key: 'variables',
              label: '流程变量',
              children: (
                <Table
                  size="small"
                  rowKey="name"
                  dataSource={variables}
                  pagination={false}
                  locale={{ emptyText: <Empty description="没有变量" /> }}
                  columns={[
                    { title: '变量名', dataIndex: 'name', width: 240 },
                    { title: '值', dataIndex: 'value', render: (value: unknown) => <Typography.Text style={{ wordBreak: 'break-all' }}>{show(value)}</Typography.Text> },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
