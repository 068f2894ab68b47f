import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, setToken } from '../api';
import { describeAuthError } from '../errors';
import type { LoginMethods } from '../session';

interface LoginAnswer {
  access_token: string;
  must_change_password?: boolean;
}

/** 登录: the password login, then the forced change of a temporary password; the development login in embedded mode. */
export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [methods, setMethods] = useState<LoginMethods>({ password: true, development: false, passwordMinLength: 10 });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changing, setChanging] = useState<{ temporary: string } | null>(null);

  useEffect(() => {
    api<LoginMethods>('GET', '/auth/methods').then(setMethods, () => undefined);
  }, []);

  /** Runs one step of signing in, busy meanwhile, its refusal said in Chinese. */
  const submit = async (step: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (failure) {
      setError(describeAuthError(failure));
    } finally {
      setBusy(false);
    }
  };

  const passwordLogin = (values: { username: string; password: string }): Promise<void> =>
    submit(async () => {
      const answer = await api<LoginAnswer>('POST', '/auth/login', { username: values.username.trim(), password: values.password });
      setToken(answer.access_token);
      if (answer.must_change_password) setChanging({ temporary: values.password });
      else onSignedIn();
    });

  const developmentLogin = (values: { sub: string }): Promise<void> =>
    submit(async () => {
      const answer = await api<LoginAnswer>('POST', '/auth/dev-token', { sub: values.sub.trim() });
      setToken(answer.access_token);
      onSignedIn();
    });

  const changePassword = (values: { newPassword: string }): Promise<void> =>
    submit(async () => {
      await api('POST', '/auth/password', { currentPassword: changing!.temporary, newPassword: values.newPassword });
      onSignedIn();
    });

  const passwordForm = (
    <Form layout="vertical" onFinish={(values: { username: string; password: string }) => void passwordLogin(values)} requiredMark={false}>
      <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );

  const developmentForm = (
    <Form layout="vertical" onFinish={(values: { sub: string }) => void developmentLogin(values)} requiredMark={false}>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="开发登录仅在本机试用模式下提供，无需密码" />
      <Form.Item label="用户名" name="sub" rules={[{ required: true, message: '请输入用户名' }]} extra="例如 wang.fang（王芳）、zhang.wei（张伟）">
        <Input prefix={<UserOutlined />} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        开发登录
      </Button>
    </Form>
  );

  return (
    <div className="login-page">
      <Card className="login-card">
        <Typography.Title level={3} className="login-title">
          巡察协同工作台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {changing ? '首次登录或密码已重置，请先设置新密码' : '请使用本人账户登录'}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        {changing ? (
          <Form layout="vertical" onFinish={(values: { newPassword: string }) => void changePassword(values)} requiredMark={false}>
            <Form.Item
              label="新密码"
              name="newPassword"
              rules={[{ required: true, message: '请输入新密码' }]}
              extra={`至少 ${methods.passwordMinLength} 位，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名`}
            >
              <Input.Password autoComplete="new-password" autoFocus />
            </Form.Item>
            <Form.Item
              label="确认新密码"
              name="confirm"
              dependencies={['newPassword']}
              rules={[
                { required: true, message: '请再次输入新密码' },
                ({ getFieldValue }) => ({
                  validator: (_rule, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              设置新密码并进入
            </Button>
          </Form>
        ) : methods.development ? (
          <Tabs
            items={[
              { key: 'password', label: '密码登录', children: passwordForm },
              { key: 'development', label: '开发登录', children: developmentForm },
            ]}
          />
        ) : (
          passwordForm
        )}
      </Card>
    </div>
  );
}
