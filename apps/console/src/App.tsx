import { InboxOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, setToken, token, whenSignedOut } from './api';
import { InboxPage } from './pages/Inbox';
import { LoginPage } from './pages/Login';
import type { Me } from './session';
import { loadMe, may } from './session';

/** The console: the login, then the pages the caller's roles allow, from a menu. */
export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [state, setState] = useState<'loading' | 'signed-out' | 'ready' | 'failed'>(token() ? 'loading' : 'signed-out');

  const signedIn = useCallback(async () => {
    setState('loading');
    try {
      setMe(await loadMe());
      setState('ready');
    } catch {
      setState(token() ? 'failed' : 'signed-out');
    }
  }, []);

  useEffect(() => {
    whenSignedOut(() => {
      setMe(null);
      setState('signed-out');
    });
    if (token()) void signedIn();
  }, [signedIn]);

  const logout = async (): Promise<void> => {
    await api('POST', '/auth/logout').catch(() => undefined);
    setToken(null);
    setMe(null);
    setState('signed-out');
  };

  if (state === 'signed-out') return <LoginPage onSignedIn={() => void signedIn()} />;
  if (state === 'loading' || (state === 'ready' && !me)) {
    return (
      <div style={{ display: 'flex', height: '100vh', alignItems: 'center', justifyContent: 'center' }}>
        <Spin size="large" tip="正在加载…">
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    );
  }
  if (state === 'failed' || !me) {
    return <Result status="error" title="无法连接服务器" subTitle="请检查网络后重试" extra={<Button onClick={() => void signedIn()}>重试</Button>} />;
  }

  const items = [may(me, 'tasks.work') ? { key: 'inbox', icon: <InboxOutlined />, label: '我的待办' } : null].filter((item) => item !== null);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0} style={{ background: '#8e1515' }}>
        <div className="console-brand">巡察协同工作台</div>
        <Menu theme="dark" mode="inline" selectedKeys={['inbox']} items={items} style={{ background: '#8e1515' }} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', borderBottom: '1px solid #f0f0f0' }}>
          <Space size="large">
            <Typography.Text>
              <UserOutlined /> {me.name}
            </Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {may(me, 'tasks.work') ? <InboxPage me={me} /> : <Result status="info" title="您的角色没有待办事项" subTitle="管理员的工作在各自的管理页面中进行" />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
