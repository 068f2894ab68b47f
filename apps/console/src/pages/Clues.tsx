import { DownloadOutlined, PlusOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Result, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { NameSelect } from '../components/NameSelect';
import { api, download } from '../api';
import { formatDate } from '../format';
import { useLookups } from '../lookups';
import { Link, navigate } from '../router';
import type { Me } from '../session';
import { may } from '../session';

export interface NamedRef {
  id: string;
  name: string;
}

/** A ledger line as the API answers it (GET /clues). */
export interface ClueLine {
  id: string;
  number: string;
  round: NamedRef;
  unit: NamedRef;
  office: NamedRef;
  categoryName: string;
  receivedOn: string;
  restricted: boolean;
  statusName: string;
  owner: string | null;
  dispositionName: string | null;
  filedOn: string | null;
  closedOn: string | null;
  closeOutcomeName: string | null;
  feedbackDue: string | null;
  feedbackOverdue: boolean;
  feedbackCount: number;
}

interface CluePage {
  items: ClueLine[];
  total: number;
  totalExact: boolean;
}

interface Filters {
  round?: string;
  office?: string;
  progress?: 'open' | 'closed' | 'filed' | 'feedback-overdue';
  /** Dates a statistics bar counts by (its ledger link), kept as given. */
  dates?: Record<string, string>;
}

const DATE_FILTERS: Record<string, string> = { receivedFrom: '收到日期起', receivedTo: '收到日期止', closedFrom: '办结日期起', closedTo: '办结日期止', closed: '已办结' };

/** The filters of a ledger address (a statistics bar's link, say). */
function filtersOf(query: URLSearchParams): Filters {
  const dates = Object.fromEntries(Object.keys(DATE_FILTERS).flatMap((key) => (query.get(key) ? [[key, query.get(key)!]] : [])));
  // closed=true is the progress filter unless the link narrows further (filed among the closed): then it is kept as given.
  if (!(query.get('closed') === 'true' && (query.get('filed') === 'true' || query.get('feedbackOverdue') === 'true'))) delete dates.closed;
  const progress: Filters['progress'] =
    query.get('feedbackOverdue') === 'true' ? 'feedback-overdue' : query.get('filed') === 'true' ? 'filed' : query.get('closed') === 'true' ? 'closed' : query.get('closed') === 'false' ? 'open' : undefined;
  return { round: query.get('round') ?? undefined, office: query.get('office') ?? undefined, progress, ...(Object.keys(dates).length > 0 ? { dates } : {}) };
}

/** The ledger's filters as the API takes them; the list adds its page, the export takes all lines. */
function queryOf(filters: Filters, paging?: { page: number; pageSize: number }): string {
  const query = new URLSearchParams(paging ? { page: String(paging.page), pageSize: String(paging.pageSize) } : {});
  if (filters.round) query.set('round', filters.round);
  if (filters.office) query.set('office', filters.office);
  if (filters.progress === 'open') query.set('closed', 'false');
  if (filters.progress === 'closed') query.set('closed', 'true');
  if (filters.progress === 'filed') query.set('filed', 'true');
  if (filters.progress === 'feedback-overdue') query.set('feedbackOverdue', 'true');
  for (const [key, value] of Object.entries(filters.dates ?? {})) query.set(key, value);
  return query.toString();
}

/** 线索台账: the clue ledger with its filters and the workbook export; each line names no one. */
export function CluesPage({ me, query }: { me: Me; query: URLSearchParams }) {
  const { message } = App.useApp();
  const lookups = useLookups();
  const [filters, setFilters] = useState<Filters>(() => filtersOf(query));
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<CluePage | null>(null);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api<CluePage>('GET', `/clues?${queryOf(filters, { page, pageSize })}`));
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }, [filters, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const exportWorkbook = async (): Promise<void> => {
    setExporting(true);
    try {
      await download(`/clues/export?${queryOf(filters)}`, '线索台账.xlsx');
      message.success('台账已导出');
    } catch {
      message.error('导出失败，请稍后再试');
    } finally {
      setExporting(false);
    }
  };

  const change = (next: Filters): void => {
    setFilters(next);
    setPage(1);
  };

  const columns: ColumnsType<ClueLine> = [
    {
      title: '线索编号',
      dataIndex: 'number',
      render: (value: string, line) => (
        <Space size={4}>
          <Link to={`/clues/${line.id}`}>{value}</Link>
          {line.restricted && <Tag color="purple">受限</Tag>}
        </Space>
      ),
    },
    { title: '巡察轮次', dataIndex: ['round', 'name'] },
    { title: '被巡察单位', dataIndex: ['unit', 'name'] },
    { title: '承办部门', dataIndex: ['office', 'name'] },
    { title: '类别', dataIndex: 'categoryName' },
    { title: '受理日期', dataIndex: 'receivedOn', render: (value: string) => formatDate(value) },
    { title: '办理状态', dataIndex: 'statusName', render: (value: string, line) => <Tag color={line.closedOn ? 'default' : 'processing'}>{value}</Tag> },
    { title: '处置方式', dataIndex: 'dispositionName', render: (value: string | null) => value ?? '—' },
    {
      title: '下次反馈',
      dataIndex: 'feedbackDue',
      render: (value: string | null, line) =>
        value === null ? (
          '—'
        ) : (
          <Tooltip title={`已反馈 ${line.feedbackCount} 次`}>
            <Tag color={line.feedbackOverdue ? 'red' : 'default'}>
              {formatDate(value)}
              {line.feedbackOverdue ? '（已逾期）' : ''}
            </Tag>
          </Tooltip>
        ),
    },
    { title: '办结', dataIndex: 'closedOn', render: (value: string | null, line) => (value ? `${formatDate(value)} ${line.closeOutcomeName ?? ''}` : '—') },
  ];

  if (failed && data === null) return <Result status="error" title="台账加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Card
      title="线索台账"
      className="printable"
      extra={
        <Space className="no-print">
          {may(me, 'clues.register') && (
            <Button icon={<PlusOutlined />} onClick={() => navigate('/clues/new')}>
              登记线索
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            刷新
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印
          </Button>
          <Button type="primary" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportWorkbook()}>
            导出台账
          </Button>
        </Space>
      }
    >
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <NameSelect label="巡察轮次" placeholder="巡察轮次" names={lookups.rounds} value={filters.round} onChange={(round) => change({ ...filters, round })} width={200} />
        <NameSelect label="承办部门" placeholder="承办部门" names={lookups.units} value={filters.office} onChange={(office) => change({ ...filters, office })} width={200} />
        <Select
          allowClear
          placeholder="办理情况"
          aria-label="办理情况"
          style={{ width: 140 }}
          value={filters.progress}
          onChange={(progress?: Filters['progress']) => change({ ...filters, progress })}
          options={[
            { value: 'open', label: '办理中' },
            { value: 'closed', label: '已办结' },
            { value: 'filed', label: '已立案' },
            { value: 'feedback-overdue', label: '反馈逾期' },
          ]}
        />
        {filters.dates && (
          <Tag closable onClose={() => change({ ...filters, dates: undefined })}>
            {Object.entries(filters.dates)
              .map(([key, value]) => (key === 'closed' ? DATE_FILTERS[key] : `${DATE_FILTERS[key]} ${formatDate(`${value}T12:00:00+08:00`)}`))
              .join('，')}
          </Tag>
        )}
      </Space>
      <Table<ClueLine>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => `共 ${total}${data && !data.totalExact ? '+' : ''} 条`,
          onChange: (next, size) => {
            setPage(next);
            setPageSize(size);
          },
        }}
        rowClassName={(line) => (line.feedbackOverdue ? 'row-overdue' : '')}
        locale={{ emptyText: <Empty description="没有符合条件的线索" /> }}
      />
    </Card>
  );
}
