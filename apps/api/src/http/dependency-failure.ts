import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { DependencyUnavailableError } from '@xuncha/contracts';

/** gRPC status codes that mean "Temporal cannot be reached right now" rather than "the request was wrong". */
const TEMPORAL_UNREACHABLE = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

/** Socket-level and Postgres "server going away" codes. */
const DATABASE_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P03']);
const DATABASE_UNREACHABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Duck-typed, because errors from Node's own sockets may come from another realm (instanceof Error fails there). */
function asErrorLike(value: unknown): { code?: unknown; message: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' ? (value as { code?: unknown; message: string }) : undefined;
}

/**
 * Recognises failures that mean a dependency is down, so the API answers 503 naming it instead
 * of a bare 500. Anything not recognised is left to the caller.
 */
export function dependencyFailure(error: unknown): DependencyUnavailableError | undefined {
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (isGrpcServiceError(grpc) && TEMPORAL_UNREACHABLE.has(grpc.code)) {
    return new DependencyUnavailableError('Temporal', grpc.details || grpc.message);
  }
  const driverError = typeof error === 'object' && error !== null ? (error as { driverError?: unknown }).driverError : undefined;
  for (const candidate of [error, driverError].map(asErrorLike)) {
    if (!candidate) continue;
    const code = candidate.code;
    if ((typeof code === 'string' && DATABASE_UNREACHABLE.has(code)) || DATABASE_UNREACHABLE_MESSAGE.test(candidate.message)) {
      return new DependencyUnavailableError('database', candidate.message);
    }
  }
  return undefined;
}
