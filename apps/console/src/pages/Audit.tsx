import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Input, Result, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { BREAKS, describeAction, describeObject, RESULTS } from '../actions';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useLookups } from '../lookups';

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  roles: string[];
  action: string;
  route: string | null;
  object: string | null;
  objectName: string | null;
  result: string;
  status: number | null;
  source: string | null;
}

interface Verification {
  ok: boolean;
  records: number;
  checkpoints: number;
  broken: { seq: number | null; reason: string } | null;
}

/** 审计: the audit trail for the auditor, filtered by who, what, result and time; and the check of its chain. */
export function AuditPage() {
  const [data, setData] = useState<{ items: AuditRecord[]; total: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const [loading, setLoading] = useState(true);
  const [actor, setActor] = useState('');
  const [result, setResult] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const lookups = useLookups();

  const load = useCallback(async () => {
    setLoading(true);
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (actor.trim()) query.set('actor', actor.trim());
    if (result) query.set('result', result);
    if (range?.[0]) query.set('from', range[0].startOf('day').format('YYYY-MM-DDTHH:mm:ssZ'));
    if (range?.[1]) query.set('to', range[1].endOf('day').format('YYYY-MM-DDTHH:mm:ssZ'));
    try {
      setData(await api<{ items: AuditRecord[]; total: number }>('GET', `/audit?${query.toString()}`));
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }, [page, pageSize, actor, result, range]);

  useEffect(() => {
    void load();
  }, [load]);

  const verify = async (): Promise<void> => {
    setVerifying(true);
    try {
      setVerification(await api<Verification>('GET', '/audit/verify'));
    } catch {
      setVerification(null);
    } finally {
      setVerifying(false);
    }
  };

  if (failed && data === null) return <Result status="error" title="审计记录加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Card
      title="审计记录"
      extra={
        <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()}>
          校验完整性
        </Button>
      }
    >
      {verification &&
        (verification.ok ? (
          <Alert style={{ marginBottom: 12 }} type="success" showIcon message={`审计链完整：共校验 ${verification.records} 条记录、${verification.checkpoints} 个检查点，未发现改动或删除`} />
        ) : (
          <Alert
            style={{ marginBottom: 12 }}
            type="error"
            showIcon
            message="审计链不完整"
            description={`${BREAKS[verification.broken?.reason ?? ''] ?? '发现异常'}${verification.broken?.seq ? `（第 ${verification.broken.seq} 条记录）` : ''}，请立即报告安全管理员并保全数据库`}
          />
        ))}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder="操作人（用户名）" aria-label="操作人" style={{ width: 200 }} onSearch={(value) => (setActor(value), setPage(1))} />
        <Select
          allowClear
          placeholder="全部结果"
          aria-label="结果"
          style={{ width: 120 }}
          value={result}
          onChange={(value?: string) => (setResult(value), setPage(1))}
          options={Object.entries(RESULTS).map(([value, item]) => ({ value, label: item.label }))}
        />
        <DatePicker.RangePicker aria-label="时间" placeholder={['开始日期', '结束日期']} value={range} onChange={(value) => (setRange(value as [Dayjs | null, Dayjs | null] | null), setPage(1))} />
      </Space>
      <Table<AuditRecord>
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 80 },
          { title: '时间', dataIndex: 'at', render: (value: string) => formatDateTime(value) },
          { title: '操作人', dataIndex: 'actor', render: (value: string) => (value === '(anonymous)' ? '未登录者' : lookups.people[value] ? `${lookups.people[value]}（${value}）` : value) },
          {
            title: '操作',
            dataIndex: 'action',
            render: (value: string, record) => (
              <Tooltip title={record.route ?? value}>
                <span>{describeAction(value)}</span>
              </Tooltip>
            ),
          },
          {
            title: '对象',
            dataIndex: 'object',
            render: (value: string | null, record) => (
              <Tooltip title={value ? `${describeObject(value, record.objectName)}（${value}）` : undefined}>
                <span className="audit-object">{describeObject(value, record.objectName)}</span>
              </Tooltip>
            ),
          },
          { title: '结果', dataIndex: 'result', render: (value: string) => <Tag color={RESULTS[value]?.color}>{RESULTS[value]?.label ?? value}</Tag> },
          { title: '来源地址', dataIndex: 'source', render: (value: string | null) => value ?? '—' },
        ]}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => `共 ${total} 条`,
          onChange: (next, size) => (setPage(next), setPageSize(size)),
        }}
        locale={{ emptyText: <Empty description="没有符合条件的审计记录" /> }}
      />
    </Card>
  );
}
