import { ApiError } from './api';

/** Why a login or a password change was refused, in Chinese, from the API's stable codes. */
export function describeAuthError(error: unknown): string {
  if (!(error instanceof ApiError)) return '无法连接服务器，请稍后再试';
  const login = error.details.login;
  if (error.status === 429) return '尝试过于频繁，请稍后再试';
  if (login === 'locked') {
    const until = typeof error.details.lockedUntil === 'string' ? new Date(error.details.lockedUntil) : null;
    return until ? `连续输错密码，账户已锁定至 ${until.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}` : '账户已锁定';
  }
  if (login === 'temporary-expired') return '临时密码已过期，请联系安全管理员重新设置';
  if (login === 'bad-credentials') return '用户名或密码错误';
  if (error.details.field === 'currentPassword') return '当前密码不正确';
  switch (error.details.rule) {
    case 'too-short':
      return '新密码太短';
    case 'too-long':
      return '新密码太长';
    case 'too-simple':
      return '新密码须包含大写字母、小写字母、数字、符号中的至少三类';
    case 'contains-user':
      return '新密码不得包含用户名';
    case 'unchanged':
      return '新密码不得与当前密码相同';
    default:
      break;
  }
  if (error.status === 404) return '开发登录不可用';
  if (error.status === 400) return '请求内容有误';
  return '操作失败，请稍后再试';
}
