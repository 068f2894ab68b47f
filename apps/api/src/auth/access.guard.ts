import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ForbiddenError, PERMISSIONS, permissionsOf, routeRule } from '@xuncha/contracts';
import { CallersService } from './callers.service';
import type { AuthenticatedRequest } from './current-user.decorator';

/**
 * The one gate of every route: the route's rule in ROUTE_RULES decides. A public route passes;
 * any other needs a verified bearer token whose roles hold the rule's permission. A route without
 * a rule is refused to everyone, so a new route is closed until its rule is written.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly callers: CallersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const path = (request.route as { path?: unknown } | undefined)?.path;
    const route = `${request.method} ${typeof path === 'string' ? path : request.path}`;
    const rule = typeof path === 'string' ? routeRule(request.method, path) : undefined;
    if (rule && 'public' in rule) return true;
    const { principal, mustChangePassword } = await this.callers.authenticate(request.headers.authorization);
    request.principal = principal;
    if (!rule) throw new ForbiddenError(`no permission rule is written for ${route}; it is refused to everyone`, { reason: 'no-rule', route });
    if (mustChangePassword && rule.permission !== 'session') {
      throw new ForbiddenError('the password must be changed first (POST /auth/password): it was given by an administrator', { reason: 'password-change' });
    }
    if (!permissionsOf(principal).has(rule.permission)) {
      throw new ForbiddenError(`${route} needs the permission "${rule.permission}" (${PERMISSIONS[rule.permission]}), which none of your roles holds`, {
        reason: 'permission',
        permission: rule.permission,
      });
    }
    return true;
  }
}
