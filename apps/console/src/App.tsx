import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, setToken, token, whenSignedOut } from './api';
import { Notices } from './components/Notices';
import { setLookupCaller } from './lookups';
import { navigate, queryOf, usePath } from './router';
import { allowed, routeOf, ROUTES } from './routes';
import type { Me } from './session';
import { knownMe, loadMe, may, sameCaller } from './session';

// The login's code comes only to those who are not signed in.
const LoginPage = lazy(() => import('./pages/Login').then((module) => ({ default: module.LoginPage })));

/** The console: the login, then the pages the caller's roles allow, from a menu. */
export function App() {
  // Who this session's caller was when it last asked: the pages start with it while the API is asked again.
  const [me, setMe] = useState<Me | null>(() => (token() ? knownMe() : null));
  const path = usePath();
  const [state, setState] = useState<'loading' | 'signed-out' | 'ready' | 'failed'>(() => (!token() ? 'signed-out' : knownMe() ? 'ready' : 'loading'));

  const signedIn = useCallback(async () => {
    const known = knownMe();
    if (!known) setState('loading');
    try {
      const signed = await loadMe();
      // The names already asked for stay, unless the caller is someone else now (or holds other roles).
      if (!sameCaller(known, signed)) setLookupCaller(signed);
      setMe((current) => (sameCaller(current, signed) ? current : signed));
      setState('ready');
    } catch {
      setState(token() ? 'failed' : 'signed-out');
    }
  }, []);

  // Someone without an inbox (an administrator) starts at the first page their roles open.
  useEffect(() => {
    if (!me || path.split('?')[0] !== '/' || may(me, 'tasks.work')) return;
    const first = ROUTES.find((route) => route.inMenu && allowed(me, route));
    if (first) navigate(first.path, { replace: true });
  }, [me, path]);

  useEffect(() => {
    whenSignedOut(() => {
      setLookupCaller(null);
      setMe(null);
      setState('signed-out');
    });
    // The token may have gone already (refused by the early request for the caller).
    if (token()) void signedIn();
    else setState('signed-out');
  }, [signedIn]);

  const logout = async (): Promise<void> => {
    await api('POST', '/auth/logout').catch(() => undefined);
    setToken(null);
    setLookupCaller(null);
    setMe(null);
    setState('signed-out');
  };

  if (state === 'signed-out') {
    return (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />}>
        <LoginPage onSignedIn={() => void signedIn()} />
      </Suspense>
    );
  }
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

  const opened = routeOf(path);
  const items = ROUTES.filter((route) => route.inMenu && allowed(me, route)).map((route) => ({
    key: route.path,
    icon: route.icon,
    label: (
      <a href={`/console${route.path}`} onClick={(event) => (event.preventDefault(), navigate(route.path))}>
        {route.title}
      </a>
    ),
  }));
  const home = items[0]?.key;
  let content: ReactNode;
  if (!opened) {
    content = <Result status="404" title="页面不存在" subTitle="请从左侧菜单进入" />;
  } else if (!allowed(me, opened.route)) {
    // The page is not rendered at all: nothing of its data is asked for.
    content = <Result status="403" title="无权访问此页面" subTitle="您的角色没有查看此页面的权限，如需使用请联系安全管理员" />;
  } else {
    content = <Suspense key={path} fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}>{opened.route.render(me, opened.params, queryOf(path))}</Suspense>;
  }
  if (path.split('?')[0] === '/' && !may(me, 'tasks.work')) {
    // On the way to the first page the roles open (see the effect above).
    content = home ? <Spin size="large" style={{ display: 'block', margin: '120px auto' }} /> : <Result status="info" title="您的角色在此工作台中没有可用的页面" subTitle="请联系安全管理员核实您的角色" />;
  }
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0} style={{ background: '#8e1515' }}>
        <div className="console-brand">巡察协同工作台</div>
        <Menu theme="dark" mode="inline" selectedKeys={opened ? [opened.route.menu] : []} items={items} style={{ background: '#8e1515' }} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'space-between', alignItems: 'center', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Text strong>{!opened ? '页面不存在' : allowed(me, opened.route) ? opened.route.title : '无权访问'}</Typography.Text>
          <Space size="large">
            {may(me, 'tasks.work') && <Notices />}
            <Typography.Text>
              <UserOutlined /> {me.name}
            </Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{content}</Layout.Content>
      </Layout>
    </Layout>
  );
}
