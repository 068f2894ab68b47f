import { Logger } from '@nestjs/common';
import type { Principal } from '@xuncha/contracts';
import { rolesOf, routeRule } from '@xuncha/contracts';
import type { AuditRepository } from '@xuncha/persistence';
import { auditRequestContext } from '@xuncha/persistence';
import type { NextFunction, Request, Response } from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records each call that changes something or is refused, and each read of a route whose rule
 * asks for it, in the audit trail once the answer is sent: who (and in which roles), what (the
 * route), which object (the path), the result and status, and the source address. Services that
 * record acts of their own (the reads of a clue's details) find the source address in the
 * request's context.
 */
export function auditTrailMiddleware(audit: AuditRepository) {
  const logger = new Logger('AuditTrail');
  return (request: Request, response: Response, next: NextFunction): void => {
    const source = request.ip ?? request.socket.remoteAddress ?? null;
    response.on('finish', () => {
      const routePath = (request.route as { path?: unknown } | undefined)?.path;
      const rule = typeof routePath === 'string' ? routeRule(request.method, routePath) : undefined;
      const status = response.statusCode;
      const refused = status === 401 || status === 403;
      const sensitiveRead = rule !== undefined && 'permission' in rule && rule.audit === 'read';
      if (READS.has(request.method) && !refused && !sensitiveRead) return;
      if (typeof routePath !== 'string' && status === 404 && !refused) return;
      const { principal, auditActor } = request as Request & { principal?: Principal; auditActor?: string };
      const route = `${request.method} ${typeof routePath === 'string' ? routePath : '(no route)'}`;
      audit
        .append([
          {
            actor: principal?.sub ?? auditActor ?? '(anonymous)',
            roles: principal ? rolesOf(principal) : [],
            action: route,
            route,
            object: request.path,
            result: status < 400 ? 'success' : refused ? 'denied' : 'failed',
            status,
            source,
          },
        ])
        .catch((error: unknown) => logger.error(`a ${route} call was not recorded: ${error instanceof Error ? error.message : String(error)}`));
    });
    auditRequestContext.run({ source }, next);
  };
}
