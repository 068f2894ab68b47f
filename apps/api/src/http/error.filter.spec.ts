import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, HttpStatus, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ServiceError } from '@temporalio/client';
import { DependencyUnavailableError, NotFoundError } from '@xuncha/contracts';
import { ErrorFilter } from './error.filter';

function run(exception: unknown): { status: number; body: unknown } {
  const sent: { status: number; body: unknown } = { status: 0, body: undefined };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent;
}

describe('ErrorFilter', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  it('maps NotFoundError to 404 with its code and details', () => {
    expect(run(new NotFoundError('process instance', 'x'))).toEqual({
      status: 404,
      body: { error: 'not-found', message: 'process instance "x" was not found', details: { resource: 'process instance', id: 'x' } },
    });
  });

  it('maps DependencyUnavailableError to 503', () => {
    const { status, body } = run(new DependencyUnavailableError('Temporal', 'connection refused'));
    expect(status).toBe(HttpStatus.SERVICE_UNAVAILABLE);
    expect(body).toMatchObject({ error: 'dependency-unavailable', message: 'Temporal is unavailable: connection refused' });
  });

  it('joins validation messages of a 400', () => {
    expect(run(new BadRequestException(['a must be a string', 'b should not exist']))).toEqual({
      status: 400,
      body: { error: 'bad-request', message: 'a must be a string; b should not exist' },
    });
  });

  it('keeps a health report body as Terminus produced it', () => {
    const report = { status: 'error', info: {}, error: { database: { status: 'down' } }, details: { database: { status: 'down' } } };
    expect(run(new ServiceUnavailableException(report))).toEqual({ status: 503, body: report });
  });

  it('answers 503 naming Temporal when its frontend is unreachable', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} });
    expect(run(new ServiceError('Failed to start workflow', { cause: grpc }))).toEqual({
      status: 503,
      body: { error: 'dependency-unavailable', message: 'Temporal is unavailable: No connection established', details: { dependency: 'Temporal' } },
    });
  });

  it('answers 503 naming the database when Postgres refuses or drops connections', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(run(refused)).toMatchObject({ status: 503, body: { error: 'dependency-unavailable', details: { dependency: 'database' } } });
    const wrapped = Object.assign(new Error('Query failed'), { driverError: new Error('Connection terminated unexpectedly') });
    expect(run(wrapped)).toMatchObject({ status: 503, body: { details: { dependency: 'database' } } });
  });

  it('keeps other Temporal and database errors as 500s', () => {
    const grpc = Object.assign(new Error('3 INVALID_ARGUMENT: bad'), { code: 3, details: 'bad', metadata: {} });
    expect(run(new ServiceError('Failed', { cause: grpc })).status).toBe(500);
    const constraint = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(run(constraint).status).toBe(500);
  });

  it('hides the details of unexpected errors behind a 500', () => {
    expect(run(new Error('secret connection string'))).toEqual({
      status: 500,
      body: { error: 'internal-error', message: 'Internal server error' },
    });
  });
});
