import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isRole, ROLES } from '../../../../libs/contracts/src/permissions';
import type { Role } from '../../../../libs/contracts/src/permissions';
import { api, ApiError } from '../api';
import { formatDateTime } from '../format';
import { forgetLookups, useLookups } from '../lookups';
import type { Me } from '../session';
import { may } from '../session';

interface Person {
  sub: string;
  name: string;
  groups: string[];
  unit?: string | null;
}

interface Grant {
  id: string;
  sub: string;
  role: string;
  roleName: string;
  state: 'pending' | 'granted' | 'refused' | 'revoked';
  reason: string | null;
  requestedBy: string;
  requestedAt: string;
}

const roleName = (role: string): string => (isRole(role) ? ROLES[role].label : role);

/** Why the directory refused, in Chinese. */
function refusal(error: unknown): string {
  if (!(error instanceof ApiError)) return '操作失败，请稍后再试';
  const reason = error.details.reason;
  if (reason === 'self-grant') return '不能给自己授予角色';
  if (reason === 'self-revoke') return '不能收回自己的角色';
  if (reason === 'same-administrator') return '申请须由另一位安全管理员批准';
  if (reason === 'guarded-account') return '管理员的密码只能由命令行重置';
  if (reason === 'exclusive-role' || reason === 'separation') return '三员角色互斥，不能与其他角色同时持有';
  if (error.status === 409) return '该人员已持有此角色，或已有待批准的申请';
  if (error.status === 403) return '您没有此项操作的权限';
  if (error.status === 400) return error.details.field === 'unit' ? '单位不存在' : '填写有误，请检查';
  return '操作失败，请稍后再试';
}

/** 用户与角色: the people of the directory, their units and roles; the system administrator keeps the people, the security administrator their roles and passwords. */
export function UsersPage({ me }: { me: Me }) {
  const { message, modal } = App.useApp();
  const lookups = useLookups();
  const keepsPeople = may(me, 'directory.edit');
  const grantsRoles = may(me, 'roles.grant');
  const resetsPasswords = may(me, 'passwords.reset');
  const [people, setPeople] = useState<Person[] | null>(null);
  const [pending, setPending] = useState<Grant[]>([]);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState<Person | 'new' | null>(null);
  const [granting, setGranting] = useState<Person | null>(null);
  const [search, setSearch] = useState('');
  const [personForm] = Form.useForm<{ sub: string; name: string; unit?: string }>();
  const [grantForm] = Form.useForm<{ role: Role; reason?: string }>();

  const load = useCallback(async () => {
    try {
      setPeople(await api<Person[]>('GET', '/users'));
      if (grantsRoles) setPending(await api<Grant[]>('GET', '/role-grants?state=pending'));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [grantsRoles]);

  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => (people ?? []).filter((person) => !search || person.name.includes(search) || person.sub.includes(search)), [people, search]);

  const savePerson = async (): Promise<void> => {
    // A field the form marks is the person's to correct: nothing is sent.
    const values = await personForm.validateFields().catch(() => null);
    if (!values) return;
    try {
      await api('POST', '/users', { sub: values.sub, name: values.name, ...(values.unit ? { unit: values.unit } : {}) });
      message.success(`已保存人员“${values.name}”`);
      setEditing(null);
      forgetLookups();
      await load();
    } catch (error) {
      message.error(refusal(error));
    }
  };

  const grant = async (): Promise<void> => {
    if (!granting) return;
    // A field the form marks is the person's to correct: nothing is sent.
    const values = await grantForm.validateFields().catch(() => null);
    if (!values) return;
    try {
      const answer = await api<Grant>('POST', `/users/${encodeURIComponent(granting.sub)}/roles`, { role: values.role, ...(values.reason ? { reason: values.reason } : {}) });
      message.success(answer.state === 'pending' ? `已提交申请：管理员角色须另一位安全管理员批准` : `已授予“${answer.roleName}”`);
      setGranting(null);
      await load();
    } catch (error) {
      message.error(refusal(error));
    }
  };

  const act = async (path: string, done: string): Promise<void> => {
    try {
      await api(path.startsWith('DELETE ') ? 'DELETE' : 'POST', path.replace(/^DELETE /, ''), path.startsWith('DELETE ') ? undefined : {});
      message.success(done);
      await load();
    } catch (error) {
      message.error(refusal(error));
    }
  };

  const reset = async (person: Person): Promise<void> => {
    try {
      const answer = await api<{ temporaryPassword: string; expiresAt?: string }>('POST', `/users/${encodeURIComponent(person.sub)}/password-reset`);
      modal.info({
        title: `${person.name} 的临时密码`,
        content: (
          <Space direction="vertical">
            <Typography.Text copyable code>
              {answer.temporaryPassword}
            </Typography.Text>
            <Typography.Text type="secondary">此密码只显示这一次，请当面或以密封方式交给本人；72 小时内有效，首次登录须修改。</Typography.Text>
          </Space>
        ),
        okText: '我已记下',
      });
    } catch (error) {
      message.error(refusal(error));
    }
  };

  if (failed && people === null) return <Result status="error" title="人员目录加载失败" extra={<Button onClick={() => void load()}>重试</Button>} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {grantsRoles && pending.length > 0 && (
        <Card title={`待批准的角色授予（${pending.length}）`}>
          <Table<Grant>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={pending}
            columns={[
              { title: '人员', dataIndex: 'sub', render: (sub: string) => lookups.people[sub] ?? sub },
              { title: '角色', dataIndex: 'roleName' },
              { title: '理由', dataIndex: 'reason', render: (value: string | null) => value ?? '—' },
              { title: '申请人', dataIndex: 'requestedBy', render: (sub: string) => lookups.people[sub] ?? sub },
              { title: '申请时间', dataIndex: 'requestedAt', render: (value: string) => formatDateTime(value) },
              {
                title: '操作',
                key: 'actions',
                render: (_v, item) =>
                  item.requestedBy === me.sub ? (
                    <Typography.Text type="secondary">须另一位安全管理员批准</Typography.Text>
                  ) : (
                    <Space>
                      <Button size="small" type="primary" onClick={() => void act(`/role-grants/${item.id}/approve`, '已批准')}>
                        批准
                      </Button>
                      <Button size="small" onClick={() => void act(`/role-grants/${item.id}/refuse`, '已拒绝')}>
                        拒绝
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        </Card>
      )}
      <Card
        title="用户与角色"
        extra={
          keepsPeople ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                personForm.resetFields();
                setEditing('new');
              }}
            >
              新增人员
            </Button>
          ) : undefined
        }
      >
        <Input.Search allowClear placeholder="按姓名或用户名查找" aria-label="查找人员" style={{ width: 260, marginBottom: 12 }} onSearch={setSearch} onChange={(event) => setSearch(event.target.value)} />
        <Table<Person>
          rowKey="sub"
          size="middle"
          loading={people === null}
          dataSource={shown}
          pagination={{ pageSize: 20, showTotal: (total) => `共 ${total} 人` }}
          locale={{ emptyText: <Empty description="没有人员" /> }}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '用户名', dataIndex: 'sub' },
            { title: '单位', dataIndex: 'unit', render: (unit?: string | null) => (unit ? (lookups.units[unit] ?? unit) : '—') },
            {
              title: '角色',
              dataIndex: 'groups',
              render: (groups: string[], person) =>
                groups.filter(isRole).length === 0 ? (
                  <Typography.Text type="secondary">—</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap>
                    {groups.filter(isRole).map((group) => (
                      <Tag
                        key={group}
                        closable={grantsRoles && person.sub !== me.sub}
                        onClose={(event) => {
                          event.preventDefault();
                          void act(`DELETE /users/${encodeURIComponent(person.sub)}/roles/${group}`, `已收回“${roleName(group)}”`);
                        }}
                      >
                        {roleName(group)}
                      </Tag>
                    ))}
                  </Space>
                ),
            },
            {
              title: '操作',
              key: 'actions',
              render: (_v, person) => (
                <Space size={0} wrap>
                  {person.sub === me.sub && !keepsPeople && <Typography.Text type="secondary">（本人）</Typography.Text>}
                  {keepsPeople && (
                    <Button
                      type="link"
                      onClick={() => {
                        personForm.setFieldsValue({ sub: person.sub, name: person.name, unit: person.unit ?? undefined });
                        setEditing(person);
                      }}
                    >
                      编辑
                    </Button>
                  )}
                  {grantsRoles && person.sub !== me.sub && (
                    <Button
                      type="link"
                      onClick={() => {
                        grantForm.resetFields();
                        setGranting(person);
                      }}
                    >
                      授予角色
                    </Button>
                  )}
                  {resetsPasswords && person.sub !== me.sub && (
                    <Popconfirm title={`重置 ${person.name} 的密码？`} description="原密码立即失效，其登录会话全部结束。" okText="重置" cancelText="取消" onConfirm={() => void reset(person)}>
                      <Button type="link">
                        重置密码
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal title={editing === 'new' ? '新增人员' : '编辑人员'} open={editing !== null} okText="保存" cancelText="取消" onOk={() => void savePerson()} onCancel={() => setEditing(null)} destroyOnHidden>
        <Form form={personForm} layout="vertical">
          <Form.Item name="sub" label="用户名" rules={[{ required: true, message: '请填写用户名' }, { pattern: /^\S{1,255}$/, message: '用户名不能含空格' }]}>
            <Input disabled={editing !== 'new'} placeholder="如 wang.fang" />
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="unit" label="单位">
            <Select allowClear showSearch optionFilterProp="label" placeholder="选择单位" options={Object.entries(lookups.units).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title={granting ? `给 ${granting.name} 授予角色` : ''} open={granting !== null} okText="授予" cancelText="取消" onOk={() => void grant()} onCancel={() => setGranting(null)} destroyOnHidden>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="系统管理员、安全管理员、审计管理员和流程管理员须另一位安全管理员批准后生效。" />
        <Form form={grantForm} layout="vertical">
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={Object.entries(ROLES)
                .filter(([role]) => !granting?.groups.includes(role))
                .map(([value, info]) => ({ value, label: info.label }))}
            />
          </Form.Item>
          <Form.Item name="reason" label="理由">
            <Input maxLength={200} placeholder="如：新任案管室干部" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
