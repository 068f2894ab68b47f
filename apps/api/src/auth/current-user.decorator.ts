import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import type { Request } from 'express';

/** The request's verified caller, as the guard attached it. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  /** Whom a call acts for before anyone is signed in (the name a login is tried for), for the audit trail. */
  auditActor?: string;
}

/** Injects the verified caller of a protected route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentUser used on a route the authentication guard did not run for');
  return principal;
});
