import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ForbiddenError, PERMISSIONS, permissionsOf, routeRule, unitScope } from '@xuncha/contracts';
import { UserRepository } from '@xuncha/persistence';
import type { AuthenticatedRequest } from './current-user.decorator';
import { TokensService } from './tokens.service';

/**
 * The one gate of every route: the route's rule in ROUTE_RULES decides. A public route passes;
 * any other needs a verified bearer token whose roles hold the rule's permission. A route without
 * a rule is refused to everyone, so a new route is closed until its rule is written.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const path = (request.route as { path?: unknown } | undefined)?.path;
    const route = `${request.method} ${typeof path === 'string' ? path : request.path}`;
    const rule = typeof path === 'string' ? routeRule(request.method, path) : undefined;
    if (rule && 'public' in rule) return true;
    const principal = await this.tokens.verify(request.headers.authorization);
    // Whom a unit confines, the directory says which unit: a token cannot widen it.
    if (unitScope(principal) !== undefined) principal.unit = (await this.users.find(principal.sub))?.unit ?? null;
    request.principal = principal;
    if (!rule) throw new ForbiddenError(`no permission rule is written for ${route}; it is refused to everyone`, { reason: 'no-rule', route });
    if (!permissionsOf(principal).has(rule.permission)) {
      throw new ForbiddenError(`${route} needs the permission "${rule.permission}" (${PERMISSIONS[rule.permission]}), which none of your roles holds`, {
        reason: 'permission',
        permission: rule.permission,
      });
    }
    return true;
  }
}
