import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DefinitionTooLargeError, NotXmlError } from '@xuncha/bpmn';
import {
  AppError,
  ConflictError,
  DependencyUnavailableError,
  FieldsInvalidError,
  ForbiddenError,
  InvalidDefinitionError,
  InvalidRequestError,
  InvalidVariablesError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthenticatedError,
} from '@xuncha/contracts';
import type { Response } from 'express';
import { dependencyFailure } from './dependency-failure';
import { MAX_JSON_DEPTH } from './hostile-input';

/** Stable error body of every 4xx/5xx answer. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** HTTP status of each named application error; anything unlisted is a 500. */
const STATUS_OF: Array<[new (...args: never[]) => AppError, number]> = [
  [NotFoundError, HttpStatus.NOT_FOUND],
  [DependencyUnavailableError, HttpStatus.SERVICE_UNAVAILABLE],
  [InvalidDefinitionError, HttpStatus.UNPROCESSABLE_ENTITY],
  [InvalidRequestError, HttpStatus.BAD_REQUEST],
  [FieldsInvalidError, HttpStatus.BAD_REQUEST],
  [PayloadTooLargeError, HttpStatus.PAYLOAD_TOO_LARGE],
  [ConflictError, HttpStatus.CONFLICT],
  [UnauthenticatedError, HttpStatus.UNAUTHORIZED],
  [ForbiddenError, HttpStatus.FORBIDDEN],
  [InvalidVariablesError, HttpStatus.UNPROCESSABLE_ENTITY],
  [TooManyRequestsError, HttpStatus.TOO_MANY_REQUESTS],
];

/** body-parser's own failures (and those of our `verify` hooks), which reach the filter as plain errors carrying a `type`. */
const BODY_PARSER_ERRORS: Record<string, [number, string, object?]> = {
  'entity.too.large': [HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large'],
  'entity.too.deep': [HttpStatus.BAD_REQUEST, 'bad-request', { reason: 'too-deep', limit: MAX_JSON_DEPTH }],
  'entity.parse.failed': [HttpStatus.BAD_REQUEST, 'bad-request'],
  'encoding.unsupported': [HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type'],
  'request.aborted': [HttpStatus.BAD_REQUEST, 'bad-request'],
};

function codeOfStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name.toLowerCase().replace(/_/g, '-') : 'error';
}

/** The one place where errors become HTTP answers: `{ error, message, details }`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const known = exception instanceof AppError || exception instanceof HttpException || exception instanceof NotXmlError || exception instanceof DefinitionTooLargeError;
    const dependency = known ? undefined : dependencyFailure(exception);
    const [status, body] = this.toHttp(dependency ?? exception);
    if (exception instanceof TooManyRequestsError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (dependency) {
      this.logger.warn(dependency.message);
    } else if (status >= 500 && !known) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    response.status(status).json(body);
  }

  private toHttp(exception: unknown): [number, ErrorBody | object] {
    if (exception instanceof InvalidDefinitionError) {
      return [HttpStatus.UNPROCESSABLE_ENTITY, { error: exception.code, message: exception.message, findings: exception.findings }];
    }
    if (exception instanceof AppError) {
      const status = STATUS_OF.find(([type]) => exception instanceof type)?.[1] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      return [status, { error: exception.code, message: exception.message, details: exception.details }];
    }
    if (exception instanceof NotXmlError) return [HttpStatus.BAD_REQUEST, { error: 'not-xml', message: exception.message }];
    if (exception instanceof DefinitionTooLargeError) {
      return [HttpStatus.PAYLOAD_TOO_LARGE, { error: 'payload-too-large', message: exception.message, details: { bytes: exception.bytes, limit: exception.limit } }];
    }
    const parserType = typeof exception === 'object' && exception !== null ? (exception as { type?: unknown }).type : undefined;
    const parserError = typeof parserType === 'string' ? BODY_PARSER_ERRORS[parserType] : undefined;
    if (parserError) {
      const message = (exception as { message?: string }).message ?? parserType;
      return [parserError[0], { error: parserError[1], message, ...(parserError[2] ? { details: parserError[2] } : {}) }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      // Terminus answers 503 with the full health report; keep that shape for monitoring tools.
      if (typeof payload === 'object' && payload !== null && 'status' in payload && 'details' in payload) {
        return [status, payload];
      }
      const message =
        typeof payload === 'string'
          ? payload
          : Array.isArray((payload as { message?: unknown }).message)
            ? ((payload as { message: string[] }).message).join('; ')
            : String((payload as { message?: unknown }).message ?? exception.message);
      return [status, { error: codeOfStatus(status), message }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: 'internal-error', message: 'Internal server error' }];
  }
}
