import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import { ForbiddenError, UnauthenticatedError } from '@xuncha/contracts';
import { AccessGuard } from './access.guard';
import type { CallersService } from './callers.service';

const OFFICER: Principal = { sub: 'wang.fang', name: '王芳', groups: ['commission-case-office'] };

function guard(principal: Principal | null, mustChangePassword = false): AccessGuard {
  const callers = {
    authenticate: (header: string | undefined) =>
      header && principal ? Promise.resolve({ principal, mustChangePassword }) : Promise.reject(new UnauthenticatedError('missing bearer token')),
  } as unknown as CallersService;
  return new AccessGuard(callers);
}

function context(method: string, routePath: string | undefined, authorization?: string): { context: ExecutionContext; request: Record<string, unknown> } {
  const request: Record<string, unknown> = { method, path: routePath ?? '/unmatched', headers: authorization ? { authorization } : {}, route: routePath ? { path: routePath } : undefined };
  return { context: { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext, request };
}

describe('AccessGuard', () => {
  it('refuses a route that has no rule, even to a signed-in caller', async () => {
    const refusal = guard(OFFICER).canActivate(context('POST', '/tasks/:id/reopen', 'Bearer x').context);
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toMatchObject({ details: { reason: 'no-rule', route: 'POST /tasks/:id/reopen' } });
  });

  it('passes a public route without a token', async () => {
    await expect(guard(null).canActivate(context('GET', '/health').context)).resolves.toBe(true);
    await expect(guard(null).canActivate(context('POST', '/auth/login').context)).resolves.toBe(true);
  });

  it('asks for a token before anything else on a protected route', async () => {
    await expect(guard(null).canActivate(context('GET', '/tasks').context)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('lets a caller whose roles hold the permission through, and attaches the caller', async () => {
    const { context: ctx, request } = context('GET', '/clues', 'Bearer x');
    await expect(guard(OFFICER).canActivate(ctx)).resolves.toBe(true);
    expect(request.principal).toEqual(OFFICER);
  });

  it('refuses a caller whose roles lack the permission, naming it', async () => {
    const unit: Principal = { sub: 'zhao.qiang', name: '赵强', groups: ['inspected-unit'] };
    await expect(guard(unit).canActivate(context('GET', '/clues', 'Bearer x').context)).rejects.toThrow(/clues\.handle/);
  });

  it('lets a session whose password was reset do nothing but see itself, change the password and log out', async () => {
    await expect(guard(OFFICER, true).canActivate(context('GET', '/tasks', 'Bearer x').context)).rejects.toMatchObject({ details: { reason: 'password-change' } });
    for (const [method, route] of [['GET', '/auth/me'], ['POST', '/auth/password'], ['POST', '/auth/logout']] as const) {
      await expect(guard(OFFICER, true).canActivate(context(method, route, 'Bearer x').context)).resolves.toBe(true);
    }
  });
});
