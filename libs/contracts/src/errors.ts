// Errors the API maps to HTTP in one exception filter; they carry data, not status codes.

/** Base class of every error the API knows how to present; `code` is the stable machine name. */
export abstract class AppError extends Error {
  abstract readonly code: string;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A resource named in the request does not exist. */
export class NotFoundError extends AppError {
  readonly code = 'not-found';

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} "${id}" was not found`, { resource, id });
  }
}

/** A dependency such as Temporal or the database cannot be reached right now. */
export class DependencyUnavailableError extends AppError {
  readonly code = 'dependency-unavailable';

  constructor(
    readonly dependency: string,
    reason: string,
  ) {
    super(`${dependency} is unavailable: ${reason}`, { dependency });
  }
}

/** A finding about a definition, as the API reports it (mirrors the BPMN library's Finding). */
export interface DefinitionFinding {
  rule: string;
  severity: 'error' | 'warning';
  elementId: string | null;
  elementType: string | null;
  message: string;
  line: number | null;
}

/** A definition failed validation; nothing was stored. Carries every finding. */
export class InvalidDefinitionError extends AppError {
  readonly code = 'invalid-definition';

  constructor(readonly findings: DefinitionFinding[]) {
    const errors = findings.filter((f) => f.severity === 'error').length;
    super(`The definition has ${errors} error(s); nothing was stored`, {});
  }
}

/** A request field is missing or malformed; `field` names it. */
export class InvalidRequestError extends AppError {
  readonly code = 'invalid-request';

  constructor(
    readonly field: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { field, ...details });
  }
}

/** One field a request got wrong: its path (`variables.unitId`, `items[2].name`), the rule it broke, and why. */
export interface FieldProblem {
  field: string;
  /** The rule's stable name (isString, isLength, isIn, whitelistValidation …), for a client to say it in its own words. */
  code: string;
  message: string;
}

/** A request's fields fail their checks: every one of them at once, the first also as `field`. */
export class FieldsInvalidError extends AppError {
  readonly code = 'bad-request';

  constructor(readonly fields: FieldProblem[]) {
    super(fields.map((problem) => problem.message).join('; '), { field: fields[0]?.field ?? null, fields });
  }
}

/** A request part is larger than its limit. */
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload-too-large';

  constructor(
    readonly field: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`${field} take ${bytes} bytes as JSON; the limit is ${limit}`, { field, bytes, limit });
  }
}

/** The caller asked too often; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends AppError {
  readonly code = 'too-many-requests';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** The request does not fit the current state of the resource (an ended instance, a resolved incident). */
export class ConflictError extends AppError {
  readonly code = 'conflict';

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** The request carries no valid bearer token. */
export class UnauthenticatedError extends AppError {
  readonly code = 'unauthenticated';

  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(reason, { reason, ...details });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** Submitted values do not satisfy the form or rules they are checked against; `field` names the first offender. */
export class InvalidVariablesError extends AppError {
  readonly code = 'invalid-variables';

  constructor(
    message: string,
    readonly field: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { field, ...details });
  }
}
