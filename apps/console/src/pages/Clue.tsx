import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Result, Select, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeAction } from '../actions';
import type { LoadFailure } from '../api';
import { api, ApiError, download, failureOf } from '../api';
import { formatDate, formatDateTime } from '../format';
import { useLookups } from '../lookups';
import { Link } from '../router';
import type { ClueLine } from './Clues';

/** The whole record, for the clue's circle (GET /clues/:id). */
interface ClueDetail extends ClueLine {
  registeredBy: string;
  summary: string;
  persons: Array<{ name: string; position: string }>;
  attachments: Array<{ id: string; name: string; size: number; href: string; uploadedAt: string }>;
  feedback: Array<{ period: number; dueOn: string; givenOn: string; givenBy: string | null; stage: string | null; stageName: string | null; text: string | null }>;
  letters: Array<{ id: string; kindName: string; statusName: string; number: string | null; title: string; draftedOn: string; issuedOn: string | null; href: string }>;
  history: Array<{ kind: string; kindName: string; by: string | null; onDate: string }>;
  notes: Array<{ elementId: string; field: string; text: string; author: string; at: string }>;
  process: { instanceId: string; state: string | null; openTasks: Array<{ id: string; name: string | null; assignee: string | null; dueAt: string | null }> };
}

interface Access {
  sub: string;
  action: string;
  route: string;
  at: string;
}

interface Grant {
  user: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  revokedAt: string | null;
}

const day = (date: string | null): string => (date ? formatDate(`${date.slice(0, 10)}T12:00:00+08:00`) : '—');

/** 线索详情: the whole clue for its circle (need-to-know), with feedback, letters, history and who read it; granting access. */
export function CluePage({ id }: { id: string }) {
  const { message } = App.useApp();
  const lookups = useLookups();
  const [clue, setClue] = useState<ClueDetail | null>(null);
  const [access, setAccess] = useState<Access[]>([]);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [failure, setFailure] = useState<LoadFailure | null>(null);
  const [granting, setGranting] = useState(false);
  const [grantForm] = Form.useForm<{ user: string; reason: string }>();
  const person = (sub: string | null): string => (sub ? (lookups.people[sub] ?? sub) : '—');

  const load = useCallback(async () => {
    try {
      const detail = await api<ClueDetail>('GET', `/clues/${encodeURIComponent(id)}`);
      setClue(detail);
      setFailure(null);
      const [log, list] = await Promise.all([
        api<Access[]>('GET', `/clues/${encodeURIComponent(id)}/access-log`).catch(() => []),
        api<Grant[]>('GET', `/clues/${encodeURIComponent(id)}/grants`).catch(() => []),
      ]);
      setAccess(log);
      setGrants(list);
    } catch (error) {
      setFailure(failureOf(error));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const grant = async (): Promise<void> => {
    // A field the form marks is the person's to correct: nothing is sent.
    const values = await grantForm.validateFields().catch(() => null);
    if (!values) return;
    try {
      await api('POST', `/clues/${encodeURIComponent(id)}/grants`, values);
      message.success(`已授权 ${person(values.user)} 知悉此线索`);
      setGranting(false);
      await load();
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 403 ? '只有线索的承办人或登记人可以授权' : error instanceof ApiError && error.status === 400 ? '人员不存在或填写有误' : '授权失败，请稍后再试');
    }
  };

  const revoke = async (user: string): Promise<void> => {
    try {
      await api('DELETE', `/clues/${encodeURIComponent(id)}/grants/${encodeURIComponent(user)}`);
      message.success('已收回授权');
      await load();
    } catch {
      message.error('收回失败，请稍后再试');
    }
  };

  if (failure === 'not-found') return <Result status="404" title="线索不存在" extra={<Link to="/clues">返回线索台账</Link>} />;
  if (failure === 'forbidden') return <Result status="403" title="您不在此线索的知悉范围内" subTitle="线索详情只对登记人、承办人及经授权的人员开放，如确需查阅，请联系线索承办人授权" extra={<Link to="/clues">返回线索台账</Link>} />;
  if (failure === 'error') return <Result status="error" title="线索加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  if (!clue) return <Skeleton active paragraph={{ rows: 10 }} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/clues" aria-label="返回线索台账">
              <ArrowLeftOutlined />
            </Link>
            <span>{clue.number}</span>
            <Tag color={clue.closedOn ? 'default' : 'processing'}>{clue.statusName}</Tag>
            {clue.restricted && <Tag color="purple">受限</Tag>}
          </Space>
        }
        extra={
          <Button onClick={() => (grantForm.resetFields(), setGranting(true))} type="primary">
            授权知悉
          </Button>
        }
      >
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="本页内容涉及问题线索，仅限知悉范围内人员查阅，每次查阅均记入审计记录。" />
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="巡察轮次">{clue.round.name}</Descriptions.Item>
          <Descriptions.Item label="被巡察单位">{clue.unit.name}</Descriptions.Item>
          <Descriptions.Item label="承办部门">{clue.office.name}</Descriptions.Item>
          <Descriptions.Item label="问题类别">{clue.categoryName}</Descriptions.Item>
          <Descriptions.Item label="受理日期">{day(clue.receivedOn)}</Descriptions.Item>
          <Descriptions.Item label="承办人">{person(clue.owner)}</Descriptions.Item>
          <Descriptions.Item label="登记人">{person(clue.registeredBy)}</Descriptions.Item>
          <Descriptions.Item label="处置方式">{clue.dispositionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="下次反馈">
            {clue.feedbackDue ? <Tag color={clue.feedbackOverdue ? 'red' : 'default'}>{day(clue.feedbackDue)}{clue.feedbackOverdue ? '（已逾期）' : ''}</Tag> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="问题摘要" span={3}>
            <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{clue.summary}</Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label="涉及人员" span={3}>
            {clue.persons.length === 0 ? '—' : clue.persons.map((item) => `${item.name}（${item.position}）`).join('、')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'feedback',
              label: `反馈（${clue.feedback.length}）`,
              children:
                clue.feedback.length === 0 ? (
                  <Empty description="尚无反馈" />
                ) : (
                  <Timeline
                    items={clue.feedback.map((item) => ({
                      children: (
                        <Space direction="vertical" size={0}>
                          <Typography.Text strong>
                            第 {item.period} 次反馈（应于 {day(item.dueOn)}，实于 {day(item.givenOn)}）{item.stageName ? ` · ${item.stageName}` : ''}
                          </Typography.Text>
                          {item.text && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{item.text}</Typography.Paragraph>}
                          <Typography.Text type="secondary">反馈人：{person(item.givenBy)}</Typography.Text>
                        </Space>
                      ),
                    }))}
                  />
                ),
            },
            {
              key: 'letters',
              label: `文书（${clue.letters.length + clue.attachments.length}）`,
              children: (
                <Table
                  size="small"
                  rowKey={(item) => item.href}
                  pagination={false}
                  locale={{ emptyText: <Empty description="暂无文书和附件" /> }}
                  dataSource={[
                    ...clue.letters.map((letter) => ({ href: letter.href, title: letter.title, kind: letter.kindName, state: letter.statusName, date: letter.issuedOn ?? letter.draftedOn, file: `${letter.title}.docx` })),
                    ...clue.attachments.map((file) => ({ href: file.href, title: file.name, kind: '附件', state: '—', date: file.uploadedAt, file: file.name })),
                  ]}
                  columns={[
                    { title: '名称', dataIndex: 'title' },
                    { title: '类别', dataIndex: 'kind' },
                    { title: '状态', dataIndex: 'state' },
                    { title: '日期', dataIndex: 'date', render: (value: string) => day(value) },
                    {
                      title: '下载',
                      key: 'download',
                      render: (_v, item) => (
                        <Button size="small" icon={<DownloadOutlined />} onClick={() => void download(item.href, item.file).catch(() => message.error('下载失败'))}>
                          下载
                        </Button>
                      ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'history',
              label: '办理经过',
              children: (
                <Timeline
                  items={clue.history.map((event) => ({
                    children: `${day(event.onDate)} ${event.kindName}${event.by ? `（${person(event.by)}）` : ''}`,
                  }))}
                />
              ),
            },
            {
              key: 'notes',
              label: `办理意见（${clue.notes.length}）`,
              children:
                clue.notes.length === 0 ? (
                  <Empty description="暂无意见" />
                ) : (
                  <Timeline
                    items={clue.notes.map((note) => ({
                      children: (
                        <Space direction="vertical" size={0}>
                          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{note.text}</Typography.Paragraph>
                          <Typography.Text type="secondary">
                            {person(note.author)}，{formatDateTime(note.at)}
                          </Typography.Text>
                        </Space>
                      ),
                    }))}
                  />
                ),
            },
            {
              key: 'access',
              label: '知悉范围与查阅记录',
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Title level={5}>经授权的人员</Typography.Title>
                  <Table<Grant>
                    size="small"
                    rowKey={(item) => `${item.user}:${item.grantedAt}`}
                    pagination={false}
                    dataSource={grants}
                    locale={{ emptyText: <Empty description="尚无授权" /> }}
                    columns={[
                      { title: '人员', dataIndex: 'user', render: (sub: string) => person(sub) },
                      { title: '理由', dataIndex: 'reason' },
                      { title: '授权人', dataIndex: 'grantedBy', render: (sub: string) => person(sub) },
                      { title: '授权时间', dataIndex: 'grantedAt', render: (value: string) => formatDateTime(value) },
                      {
                        title: '状态',
                        key: 'state',
                        render: (_v, item) =>
                          item.revokedAt ? (
                            <Tag>已收回</Tag>
                          ) : (
                            <Button size="small" onClick={() => void revoke(item.user)}>
                              收回
                            </Button>
                          ),
                      },
                    ]}
                  />
                  <Typography.Title level={5}>查阅记录</Typography.Title>
                  <Table<Access>
                    size="small"
                    rowKey={(item) => `${item.sub}:${item.at}:${item.action}`}
                    pagination={{ pageSize: 10 }}
                    dataSource={access}
                    columns={[
                      { title: '时间', dataIndex: 'at', render: (value: string) => formatDateTime(value) },
                      { title: '人员', dataIndex: 'sub', render: (sub: string) => person(sub) },
                      { title: '操作', dataIndex: 'action', render: (value: string, item) => describeAction(value === 'read-details' || value === 'export' ? value : item.route) },
                    ]}
                  />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal title="授权知悉此线索" open={granting} okText="授权" cancelText="取消" onOk={() => void grant()} onCancel={() => setGranting(false)} destroyOnHidden>
        <Form form={grantForm} layout="vertical">
          <Form.Item name="user" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
            <Select showSearch optionFilterProp="label" options={Object.entries(lookups.people).map(([value, label]) => ({ value, label: `${label}（${value}）` }))} />
          </Form.Item>
          <Form.Item name="reason" label="理由" rules={[{ required: true, message: '请填写授权理由' }]}>
            <Input maxLength={200} placeholder="如：协助初步核实" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
