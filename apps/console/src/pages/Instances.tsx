import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, Result, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { NameSelect } from '../components/NameSelect';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useLookups } from '../lookups';
import { Link } from '../router';

export interface InstanceSummary {
  id: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  parentId: string | null;
  state: 'active' | 'incident' | 'completed' | 'cancelled';
  openIncidents: number;
  startedAt: string;
  endedAt: string | null;
}

interface InstancePage {
  items: InstanceSummary[];
  total: number;
}

export const STATE_TAGS: Record<InstanceSummary['state'], { color: string; label: string }> = {
  active: { color: 'processing', label: '运行中' },
  incident: { color: 'red', label: '有故障' },
  completed: { color: 'success', label: '已完成' },
  cancelled: { color: 'default', label: '已取消' },
};

/** 流程实例: the instances the caller may read, by process, state and business key. */
export function InstancesPage() {
  const lookups = useLookups();
  const [data, setData] = useState<InstancePage | null>(null);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [definitionKey, setDefinitionKey] = useState<string | undefined>();
  const [state, setState] = useState<InstanceSummary['state'] | undefined>();
  const [businessKey, setBusinessKey] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);

  const load = useCallback(async () => {
    setLoading(true);
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (definitionKey) query.set('definitionKey', definitionKey);
    if (state) query.set('state', state);
    if (businessKey.trim()) query.set('businessKey', businessKey.trim());
    try {
      setData(await api<InstancePage>('GET', `/process-instances?${query.toString()}`));
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }, [page, pageSize, definitionKey, state, businessKey]);

  useEffect(() => {
    void load();
  }, [load]);

  if (failed && data === null) return <Result status="error" title="流程实例加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Card
      title="流程实例"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          刷新
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <NameSelect label="流程" placeholder="全部流程" names={lookups.processes} value={definitionKey} onChange={(value) => (setDefinitionKey(value), setPage(1))} width={200} />
        <Select
          allowClear
          placeholder="全部状态"
          aria-label="状态"
          style={{ width: 140 }}
          value={state}
          onChange={(value?: InstanceSummary['state']) => (setState(value), setPage(1))}
          options={Object.entries(STATE_TAGS).map(([value, tag]) => ({ value, label: tag.label }))}
        />
        <Input.Search allowClear placeholder="业务编号" aria-label="业务编号" style={{ width: 220 }} onSearch={(value) => (setBusinessKey(value), setPage(1))} />
      </Space>
      <Table<InstanceSummary>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={[
          {
            title: '流程',
            dataIndex: 'definitionKey',
            render: (key: string, item) => <Link to={`/instances/${encodeURIComponent(item.id)}`}>{lookups.processes[key] ?? key}</Link>,
          },
          { title: '版本', dataIndex: 'definitionVersion', width: 80, render: (value: number) => `第 ${value} 版` },
          { title: '业务编号', dataIndex: 'businessKey', render: (value: string | null) => value ?? '—' },
          {
            title: '状态',
            dataIndex: 'state',
            render: (value: InstanceSummary['state'], item) => (
              <Space size={4}>
                <Tag color={STATE_TAGS[value].color}>{STATE_TAGS[value].label}</Tag>
                {item.openIncidents > 0 && <Tag color="red">故障 {item.openIncidents}</Tag>}
                {item.parentId && <Tag>子流程</Tag>}
              </Space>
            ),
          },
          { title: '开始时间', dataIndex: 'startedAt', render: (value: string) => formatDateTime(value) },
          { title: '结束时间', dataIndex: 'endedAt', render: (value: string | null) => formatDateTime(value) },
        ]}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => `共 ${total} 个`,
          onChange: (next, size) => (setPage(next), setPageSize(size)),
        }}
        locale={{ emptyText: <Empty description="没有符合条件的流程实例" /> }}
      />
    </Card>
  );
}
