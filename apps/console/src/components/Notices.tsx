import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Popover, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { navigate } from '../router';

/** One notice of GET /notices. */
interface Notice {
  key: string;
  kind: 'task' | 'reminder' | 'overdue' | 'letter';
  title: string;
  detail: string | null;
  at: string;
  target: { type: 'task' | 'clue' | 'deadlines'; id: string | null };
  read: boolean;
}

interface Feed {
  items: Notice[];
  unread: number;
}

const KINDS: Record<Notice['kind'], { label: string; color: string }> = {
  task: { label: '任务', color: 'blue' },
  reminder: { label: '催办', color: 'orange' },
  overdue: { label: '逾期', color: 'red' },
  letter: { label: '函件', color: 'purple' },
};

const REFRESH_MS = 30_000;

function pathOf(target: Notice['target']): string {
  if (target.type === 'task' && target.id) return `/tasks/${target.id}`;
  if (target.type === 'clue' && target.id) return `/clues/${target.id}`;
  return '/deadlines';
}

/**
 * 通知: new tasks, reminders (催办), overdue work and 提醒函/督办函, as the server keeps them for
 * this user (read on any browser is read everywhere); refreshed by itself.
 */
export function Notices() {
  const [feed, setFeed] = useState<Feed | null>(null);
  const [open, setOpen] = useState(false);
  const [marking, setMarking] = useState(false);

  const load = useCallback(async () => {
    try {
      setFeed(await api<Feed>('GET', '/notices'));
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

  const markRead = async (keys: string[]): Promise<void> => {
    if (keys.length === 0) return;
    setMarking(true);
    try {
      await api('POST', '/notices/read', { keys });
      await load();
    } catch {
      // Left unread: the next refresh shows the state the server keeps.
    } finally {
      setMarking(false);
    }
  };

  const openNotice = (notice: Notice): void => {
    setOpen(false);
    if (!notice.read) void markRead([notice.key]);
    navigate(pathOf(notice.target));
  };

  const unread = feed?.unread ?? 0;
  const items = feed?.items ?? [];
  const content = (
    <div className="notices" role="list" aria-label="通知列表">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={feed ? '没有通知' : '正在读取通知…'} />
      ) : (
        items.map((notice) => (
          <button key={notice.key} type="button" role="listitem" className={`notice${notice.read ? '' : ' notice-unread'}`} onClick={() => openNotice(notice)}>
            <Space align="start" size={8}>
              <Tag color={KINDS[notice.kind].color}>{KINDS[notice.kind].label}</Tag>
              <Space direction="vertical" size={0}>
                <Typography.Text strong={!notice.read} type={notice.kind === 'overdue' ? 'danger' : undefined}>
                  {notice.title}
                </Typography.Text>
                {notice.detail && <Typography.Text type="secondary">{notice.detail}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {notice.read ? '' : '未读 · '}
                  {formatDateTime(notice.at)}
                </Typography.Text>
              </Space>
            </Space>
          </button>
        ))
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void load();
      }}
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>通知{unread > 0 ? `（${unread} 条未读）` : ''}</span>
          <Button size="small" type="link" disabled={unread === 0} loading={marking} onClick={() => void markRead(items.filter((notice) => !notice.read).map((notice) => notice.key))}>
            全部标为已读
          </Button>
        </Space>
      }
      content={content}
    >
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={unread > 0 ? `通知，${unread} 条未读` : '通知'} />
      </Badge>
    </Popover>
  );
}
