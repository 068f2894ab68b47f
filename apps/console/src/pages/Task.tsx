import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Modal, Result, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LoadFailure } from '../api';
import { api, ApiError, failureOf } from '../api';
import type { FormSchema, TaskFormHandle } from '../components/TaskForm';
import { labelOf, TaskForm } from '../components/TaskForm';
import { formatDate, formatDateTime, urgencyOf, workingDaysText } from '../format';
import { useLookups } from '../lookups';
import { problemsOf } from '../problems';
import { Link, navigate } from '../router';
import type { Me } from '../session';

const Diagram = lazy(() => import('../components/Diagram'));

interface TaskDetail {
  id: string;
  processInstanceId: string;
  elementId: string;
  name: string | null;
  definitionKey: string;
  definitionVersion: number | null;
  businessKey: string | null;
  assignee: string | null;
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidateGroups: string[];
  dueDate: string | null;
  createdAt: string;
  state: string;
  overdue: boolean;
  workingDaysLeft: number | null;
  warnings: string[];
  form: FormSchema | null;
  variables: Record<string, unknown>;
  withheld: string[];
}

/** 办理任务: the task's form by form-js, the server's refusals at their fields, the diagram with this task marked. */
export function TaskPage({ me, id }: { me: Me; id: string }) {
  const { message } = App.useApp();
  const lookups = useLookups();
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [xml, setXml] = useState<string | null>(null);
  const [failure, setFailure] = useState<LoadFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [handingOver, setHandingOver] = useState(false);
  const [receiver, setReceiver] = useState<string | undefined>();
  const form = useRef<TaskFormHandle>(null);

  const load = useCallback(async () => {
    try {
      const detail = await api<TaskDetail>('GET', `/tasks/${encodeURIComponent(id)}`);
      setTask(detail);
      setFailure(null);
      if (detail.definitionVersion !== null) {
        api<{ xml: string }>('GET', `/definitions/${encodeURIComponent(detail.definitionKey)}/versions/${detail.definitionVersion}`).then(
          (version) => setXml(version.xml),
          () => setXml(''),
        );
      }
    } catch (error) {
      setFailure(failureOf(error));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const marks = useMemo(() => ({ current: task?.elementId ?? null }), [task?.elementId]);
  // The form keeps its values while the task is reloaded after a claim: built once per task.
  const formData = useMemo(() => task?.variables ?? {}, [task?.id]);
  const formSchema = useMemo(() => task?.form ?? null, [task?.id]);

  if (failure === 'not-found') return <Result status="404" title="任务不存在" subTitle="任务编号有误，或任务已被删除" extra={<Link to="/">返回我的待办</Link>} />;
  if (failure === 'forbidden') return <Result status="403" title="无权查看此任务" subTitle="此任务未分配给您或您所在的组" extra={<Link to="/">返回我的待办</Link>} />;
  if (failure === 'error') return <Result status="error" title="任务加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  if (!task) return <Skeleton active paragraph={{ rows: 8 }} />;

  const open = task.state === 'created' || task.state === 'claimed';
  const mine = task.assignee === me.sub;
  const urgency = urgencyOf(task.overdue, task.workingDaysLeft);

  const act = async (action: 'claim' | 'unclaim'): Promise<void> => {
    setBusy(true);
    try {
      await api('POST', `/tasks/${task.id}/${action}`, {});
      message.success(action === 'claim' ? '已认领，可以办理' : '已退回待认领');
      await load();
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 409 ? '任务已被他人认领或已办结' : '操作失败，请稍后再试');
      await load();
    } finally {
      setBusy(false);
    }
  };

  const handOver = async (): Promise<void> => {
    if (!receiver) {
      message.warning('请选择接办人');
      return;
    }
    setBusy(true);
    try {
      await api('POST', `/tasks/${task.id}/assign`, { user: receiver });
      message.success(`已转交 ${lookups.people[receiver] ?? receiver} 办理`);
      setHandingOver(false);
      navigate('/');
    } catch (error) {
      message.error(error instanceof ApiError && error.status === 403 ? '您不能转交此任务' : error instanceof ApiError && error.status === 409 ? '任务已办结或已被他人处理' : '转交失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  const complete = async (): Promise<void> => {
    const values = task.form ? form.current?.submit() : {};
    if (values === null || values === undefined) {
      message.warning('请按提示修改表单后再提交');
      return;
    }
    setBusy(true);
    setUnplaced([]);
    try {
      await api('POST', `/tasks/${task.id}/complete`, { variables: values, requestId: `console-${task.id}-${crypto.randomUUID()}` });
      message.success(`“${task.name ?? '任务'}”已办结`);
      navigate('/');
    } catch (error) {
      if (error instanceof ApiError && (error.status === 422 || error.status === 400)) {
        const problems = problemsOf(error.details);
        const left = form.current?.showErrors(problems.map((problem) => ({ field: problem.field, message: problem.text }))) ?? problems.map((p) => ({ field: p.field, message: p.text }));
        setUnplaced(left.map((problem) => `${(task.form && labelOf(task.form, problem.field)) ?? '表单'}：${problem.message}`));
        message.error('提交未成功：表单中有不符合要求的内容');
      } else if (error instanceof ApiError && error.status === 409) {
        message.error('任务已办结或已被他人处理');
        await load();
      } else if (error instanceof ApiError && error.status === 403) {
        message.error('您不能办理此任务：请先认领');
        await load();
      } else {
        message.error('提交失败，请稍后再试');
      }
    } finally {
      setBusy(false);
    }
  };

  const stateTag = !open ? (
    <Tag>{task.state === 'completed' ? '已办结' : '已取消'}</Tag>
  ) : task.assignee === null ? (
    <Tag>待认领</Tag>
  ) : mine ? (
    <Tag color="processing">我已认领</Tag>
  ) : (
    <Tag>{lookups.people[task.assignee] ?? '他人'} 办理中</Tag>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/" aria-label="返回我的待办">
              <ArrowLeftOutlined />
            </Link>
            <span>{task.name ?? '（未命名任务）'}</span>
            {stateTag}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label="流程">{lookups.processes[task.definitionKey] ?? task.definitionKey}</Descriptions.Item>
          <Descriptions.Item label="业务编号">{task.businessKey ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="到达时间">{formatDateTime(task.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="办理期限">
            <Space size={4}>
              {formatDate(task.dueDate)}
              {task.dueDate && <Tag color={urgency === 'overdue' ? 'red' : urgency === 'soon' ? 'orange' : 'green'}>{workingDaysText(task.overdue, task.workingDaysLeft)}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="办理人">{task.assignee ? (lookups.people[task.assignee] ?? task.assignee) : '—'}</Descriptions.Item>
          {task.delegation === 'pending' && <Descriptions.Item label="委派人">{lookups.people[task.owner ?? ''] ?? '—'}</Descriptions.Item>}
        </Descriptions>
        {task.warnings.length > 0 && <Alert type="warning" showIcon message="该期限所在年度缺少官方节假日数据，办理期限可能有偏差，请以通知为准" />}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            title="办理表单"
            // The buttons sit above the form: a field's message appearing or going (on leaving the
            // field) moves what is below it, and a click must not land beside its button.
            extra={
              open ? (
                task.assignee === null ? (
                  <Button type="primary" loading={busy} onClick={() => void act('claim')}>
                    认领
                  </Button>
                ) : mine ? (
                  <Space>
                    <Button onClick={() => void act('unclaim')} disabled={busy}>
                      退回
                    </Button>
                    <Button onClick={() => (setReceiver(undefined), setHandingOver(true))} disabled={busy}>
                      转办
                    </Button>
                    <Button type="primary" loading={busy} onClick={() => void complete()}>
                      提交办结
                    </Button>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">由{lookups.people[task.assignee] ?? '他人'}办理中</Typography.Text>
                )
              ) : undefined
            }
          >
            {task.withheld.length > 0 && <Alert style={{ marginBottom: 12 }} type="info" showIcon message="部分敏感信息仅向有权查看流程实例的人员显示" />}
            {unplaced.length > 0 && <Alert style={{ marginBottom: 12 }} type="error" showIcon message="提交未成功" description={unplaced.join('；')} />}
            {task.form ? (
              <TaskForm ref={form} schema={formSchema ?? task.form} data={formData} disabled={!open || !mine} />
            ) : (
              <Typography.Paragraph type="secondary">此任务无需填写表单，确认办理后提交即可。</Typography.Paragraph>
            )}
            {open && task.assignee === null && <Typography.Paragraph type="secondary">认领后方可填写和提交。</Typography.Paragraph>}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="流程图" styles={{ body: { padding: 12 } }}>
            {xml === null ? (
              <Skeleton.Node active style={{ width: '100%', height: 360 }} />
            ) : xml === '' ? (
              <Alert type="info" showIcon message="无法读取此流程的图形" />
            ) : (
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 360 }} />}>
                <Diagram xml={xml} marks={marks} />
              </Suspense>
            )}
          </Card>
        </Col>
      </Row>
      <Modal title="转交他人办理" open={handingOver} okText="转交" cancelText="取消" confirmLoading={busy} onOk={() => void handOver()} onCancel={() => setHandingOver(false)}>
        <Select
          showSearch
          aria-label="接办人"
          placeholder="选择接办人"
          optionFilterProp="label"
          style={{ width: '100%' }}
          value={receiver}
          onChange={setReceiver}
          options={Object.entries(lookups.people)
            .filter(([sub]) => sub !== me.sub)
            .map(([value, label]) => ({ value, label: `${label}（${value}）` }))}
        />
      </Modal>
    </Space>
  );
}
