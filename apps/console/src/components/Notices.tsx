import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Dropdown, Empty, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { navigate } from '../router';
import type { Me } from '../session';

interface Task {
  id: string;
  name: string | null;
  businessKey: string | null;
  createdAt: string;
}

const REFRESH_MS = 30_000;

/** When the caller last opened the notices, kept in this browser. */
function seenKey(me: Me): string {
  return `xuncha.notices-seen.${me.sub}`;
}

/** 通知: tasks that arrived since the caller last looked, and the overdue ones, with an unread count; refreshed by itself. */
export function Notices({ me }: { me: Me }) {
  const [arrived, setArrived] = useState<Task[]>([]);
  const [overdue, setOverdue] = useState(0);
  const [seen, setSeen] = useState<string>(() => localStorage.getItem(seenKey(me)) ?? new Date(0).toISOString());

  const load = useCallback(async () => {
    try {
      const [latest, late] = await Promise.all([
        api<{ items: Task[] }>('GET', '/tasks?pageSize=20&sort=created&order=desc'),
        api<{ total: number }>('GET', '/tasks?pageSize=1&overdue=true'),
      ]);
      setArrived(latest.items);
      setOverdue(late.total);
    } catch {
      // The bell stays as it was; the page itself reports a lost connection.
    }
  }, []);

  useEffect(() => {
    // The page's own data first: the bell asks a moment later.
    const first = setTimeout(() => void load(), 1_500);
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load]);

  // Instants compared as instants: the API writes them in Beijing time, the browser in UTC.
  const fresh = arrived.filter((task) => Date.parse(task.createdAt) > Date.parse(seen));
  const unread = fresh.length + (overdue > 0 ? 1 : 0);
  const markSeen = (): void => {
    const now = new Date().toISOString();
    localStorage.setItem(seenKey(me), now);
    setSeen(now);
  };

  const items = [
    ...(overdue > 0
      ? [{ key: 'overdue', label: <Typography.Text type="danger">{`有 ${overdue} 项任务已逾期，请尽快办理`}</Typography.Text>, onClick: () => navigate('/deadlines') }]
      : []),
    ...fresh.map((task) => ({
      key: task.id,
      label: (
        <Space direction="vertical" size={0}>
          <span>新任务：{task.name ?? '（未命名任务）'}{task.businessKey ? `（${task.businessKey}）` : ''}</span>
          <Typography.Text type="secondary">{formatDateTime(task.createdAt)}</Typography.Text>
        </Space>
      ),
      onClick: () => navigate(`/tasks/${task.id}`),
    })),
  ];

  return (
    <Dropdown
      trigger={['click']}
      onOpenChange={(open) => {
        if (!open) markSeen();
      }}
      menu={{ items: items.length > 0 ? items : [{ key: 'none', label: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有新通知" />, disabled: true }] }}
    >
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={unread > 0 ? `通知，${unread} 条未读` : '通知'} />
      </Badge>
    </Dropdown>
  );
}
