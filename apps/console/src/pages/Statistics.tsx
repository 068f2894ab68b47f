import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Empty, Result, Row, Segmented, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { NameSelect } from '../components/NameSelect';
import { api } from '../api';
import type { ChartOption } from '../components/Chart';
import { useLookups } from '../lookups';
import { navigate } from '../router';

const Chart = lazy(() => import('../components/Chart'));

interface Figure {
  value: number;
  ledger: string;
}

interface Metrics {
  received: Figure;
  closed: Figure;
  filed: Figure;
  completionRate: number | null;
  filingRate: number | null;
  feedbackOverdue: Figure;
  outcomes: Record<string, { label: string; value: number }>;
  rules: string;
}

interface Bar {
  key: string;
  label: string;
  received: Figure;
  closed: Figure;
  filed: Figure;
  completionRate: number | null;
  filingRate: number | null;
}

type By = 'month' | 'round' | 'office';

const rate = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)}%`);

/** A ledger link of the API (`/clues?…`) opened in the console's ledger. */
function openLedger(link: string): void {
  navigate(`/clues${link.slice('/clues'.length)}`);
}

/** 统计: 办结率 and 成案率 by month, round or office as charts; each bar opens the ledger lines behind it; prints on A4. */
export function StatisticsPage() {
  const lookups = useLookups();
  const [by, setBy] = useState<By>('month');
  const [round, setRound] = useState<string | undefined>();
  const [office, setOffice] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [metrics, setMetrics] = useState<Metrics | null>(null);
  const [bars, setBars] = useState<Bar[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    const query = new URLSearchParams();
    if (round) query.set('round', round);
    if (office) query.set('office', office);
    if (range?.[0]) query.set('from', range[0].format('YYYY-MM-DD'));
    if (range?.[1]) query.set('to', range[1].format('YYYY-MM-DD'));
    try {
      const [all, series] = await Promise.all([
        api<Metrics>('GET', `/metrics/clues?${query.toString()}`),
        api<{ items: Bar[] }>('GET', `/metrics/clues/series?${new URLSearchParams({ ...Object.fromEntries(query), by }).toString()}`),
      ]);
      setMetrics(all);
      setBars(series.items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [by, round, office, range]);

  useEffect(() => {
    void load();
  }, [load]);

  const option = useMemo<ChartOption>(() => {
    const list = bars ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: ['受理', '办结', '立案', '办结率', '成案率'], top: 0 },
      grid: { left: 48, right: 56, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: list.map((bar) => bar.label), axisLabel: { interval: 0, rotate: list.length > 8 ? 30 : 0 } },
      yAxis: [
        { type: 'value', name: '件数', minInterval: 1 },
        { type: 'value', name: '比率（%）', max: 100, min: 0 },
      ],
      series: [
        { name: '受理', type: 'bar', barMaxWidth: 40, data: list.map((bar) => bar.received.value), itemStyle: { color: '#8c8c8c' }, cursor: 'pointer' },
        { name: '办结', type: 'bar', barMaxWidth: 40, data: list.map((bar) => bar.closed.value), itemStyle: { color: '#1677ff' }, cursor: 'pointer' },
        { name: '立案', type: 'bar', barMaxWidth: 40, data: list.map((bar) => bar.filed.value), itemStyle: { color: '#b71c1c' }, cursor: 'pointer' },
        { name: '办结率', type: 'line', yAxisIndex: 1, data: list.map((bar) => bar.completionRate), itemStyle: { color: '#389e0d' } },
        { name: '成案率', type: 'line', yAxisIndex: 1, data: list.map((bar) => bar.filingRate), itemStyle: { color: '#d48806' } },
      ],
    };
  }, [bars]);

  const clickBar = (seriesIndex: number, dataIndex: number): void => {
    const bar = bars?.[dataIndex];
    if (!bar) return;
    openLedger([bar.received, bar.closed, bar.filed][seriesIndex]!.ledger);
  };

  if (failed && metrics === null) return <Result status="error" title="统计加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="printable">
      <Card
        title="线索办理统计"
        extra={
          <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印
          </Button>
        }
      >
        <Space wrap className="no-print" style={{ marginBottom: 12 }}>
          <NameSelect label="巡察轮次" placeholder="全部轮次" names={lookups.rounds} value={round} onChange={setRound} width={200} />
          <NameSelect label="承办部门" placeholder="全部承办部门" names={lookups.units} value={office} onChange={setOffice} width={200} />
          <DatePicker.RangePicker aria-label="收到日期" placeholder={['收到日期起', '收到日期止']} value={range} onChange={(value) => setRange(value as [Dayjs | null, Dayjs | null] | null)} />
        </Space>
        {metrics === null ? (
          <Skeleton active />
        ) : (
          <Row gutter={16}>
            {[
              { title: '受理', value: metrics.received.value, link: metrics.received.ledger, suffix: '件' },
              { title: '办结', value: metrics.closed.value, link: metrics.closed.ledger, suffix: '件' },
              { title: '立案', value: metrics.filed.value, link: metrics.filed.ledger, suffix: '件' },
              { title: '反馈逾期', value: metrics.feedbackOverdue.value, link: metrics.feedbackOverdue.ledger, suffix: '件' },
            ].map((item) => (
              <Col key={item.title} xs={12} md={4}>
                <a href={`/console${item.link}`} onClick={(event) => (event.preventDefault(), openLedger(item.link))} aria-label={`${item.title} ${item.value} 件，查看台账`}>
                  <Statistic title={item.title} value={item.value} suffix={item.suffix} />
                </a>
              </Col>
            ))}
            <Col xs={12} md={4}>
              <Statistic title="办结率" value={rate(metrics.completionRate)} valueStyle={{ color: '#389e0d' }} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title="成案率" value={rate(metrics.filingRate)} valueStyle={{ color: '#d48806' }} />
            </Col>
          </Row>
        )}
      </Card>
      <Card
        title="分布"
        extra={
          <Segmented<By>
            className="no-print"
            value={by}
            onChange={setBy}
            options={[
              { label: '按月份', value: 'month' },
              { label: '按巡察轮次', value: 'round' },
              { label: '按承办部门', value: 'office' },
            ]}
          />
        }
      >
        {bars === null ? (
          <Skeleton active />
        ) : bars.length === 0 ? (
          <Empty description="所选范围内没有线索" />
        ) : (
          <>
            <Typography.Paragraph type="secondary" className="no-print">
              点击柱形可查看其统计的台账线索。
            </Typography.Paragraph>
            <Suspense fallback={<Skeleton active />}>
              <Chart option={option} onBarClick={clickBar} label="线索办理统计图" />
            </Suspense>
            <Table<Bar>
              size="small"
              rowKey="key"
              dataSource={bars}
              pagination={false}
              columns={[
                { title: by === 'month' ? '月份' : by === 'round' ? '巡察轮次' : '承办部门', dataIndex: 'label' },
                { title: '受理', key: 'received', render: (_v, bar) => <a onClick={() => openLedger(bar.received.ledger)}>{bar.received.value}</a> },
                { title: '办结', key: 'closed', render: (_v, bar) => <a onClick={() => openLedger(bar.closed.ledger)}>{bar.closed.value}</a> },
                { title: '立案', key: 'filed', render: (_v, bar) => <a onClick={() => openLedger(bar.filed.ledger)}>{bar.filed.value}</a> },
                { title: '办结率', dataIndex: 'completionRate', render: (value: number | null) => rate(value) },
                { title: '成案率', dataIndex: 'filingRate', render: (value: number | null) => rate(value) },
              ]}
            />
          </>
        )}
        {metrics && <Alert type="info" style={{ marginTop: 12 }} message="统计口径" description={metrics.rules} />}
      </Card>
    </Space>
  );
}
