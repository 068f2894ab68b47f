import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetch } from './api';
import { App } from './App';
import type { Me } from './session';
import { may } from './session';
import './styles.css';

dayjs.locale('zh-cn');

// A signed-in person opening the inbox gets it sooner: who they are, the inbox's code and its first
// page are asked for at once, rather than one after the other.
const me = prefetch<Me>('/auth/me');
if (me && /^\/console\/?$/.test(window.location.pathname)) {
  void me.then(
    (caller) => {
      if (!may(caller, 'tasks.work')) return;
      void import('./pages/Inbox');
      void prefetch('/tasks?page=1&pageSize=20&sort=dueDate&order=asc');
    },
    () => undefined,
  );
}

/** System fonts only: offices run on intranets, with no web fonts to fetch. */
const FONTS = '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { fontFamily: FONTS, colorPrimary: '#b71c1c', borderRadius: 4 } }}>
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
