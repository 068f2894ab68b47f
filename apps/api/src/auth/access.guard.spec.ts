import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import { ForbiddenError, UnauthenticatedError } from '@xuncha/contracts';
import { AccessGuard } from './access.guard';
import type { TokensService } from './tokens.service';

const OFFICER: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };

function guard(principal: Principal | null): AccessGuard {
  const tokens = {
    verify: (header: string | undefined) => {
      if (!header || !principal) throw new UnauthenticatedError('missing bearer token');
      return principal;
    },
  } as unknown as TokensService;
  return new AccessGuard(tokens);
}

function context(method: string, routePath: string | undefined, authorization?: string): { context: ExecutionContext; request: Record<string, unknown> } {
  const request: Record<string, unknown> = { method, path: routePath ?? '/unmatched', headers: authorization ? { authorization } : {}, route: routePath ? { path: routePath } : undefined };
  return { context: { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext, request };
}

describe('AccessGuard', () => {
  it('refuses a route that has no rule, even to a signed-in caller', () => {
    const { context: ctx } = context('POST', '/tasks/:id/reopen', 'Bearer x');
    expect(() => guard(OFFICER).canActivate(ctx)).toThrow(ForbiddenError);
    try {
      guard(OFFICER).canActivate(ctx);
    } catch (error) {
      expect((error as ForbiddenError).details).toEqual({ reason: 'no-rule', route: 'POST /tasks/:id/reopen' });
    }
  });

  it('passes a public route without a token', () => {
    expect(guard(null).canActivate(context('GET', '/health').context)).toBe(true);
  });

  it('asks for a token before anything else on a protected route', () => {
    expect(() => guard(null).canActivate(context('GET', '/tasks').context)).toThrow(UnauthenticatedError);
  });

  it('lets a caller whose roles hold the permission through, and attaches the caller', () => {
    const { context: ctx, request } = context('GET', '/clues', 'Bearer x');
    expect(guard(OFFICER).canActivate(ctx)).toBe(true);
    expect(request.principal).toEqual(OFFICER);
  });

  it('refuses a caller whose roles lack the permission, naming it', () => {
    const unit: Principal = { sub: 'zhao.qiang', name: '赵强', groups: ['inspected-unit'] };
    expect(() => guard(unit).canActivate(context('GET', '/clues', 'Bearer x').context)).toThrow(/clues\.handle/);
  });
});
