import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '@xuncha/contracts';
import { FieldsInvalidError } from '@xuncha/contracts';

/**
 * Every broken rule of every field, nested fields by their path, in the order the checks found them.
 * A nested field's message starts with its parent's path (`deadlines.feedbackNotice must be …`),
 * as Nest's own messages do.
 */
export function fieldProblems(errors: ValidationError[], parent: { field: string; dotted: string } | null = null): FieldProblem[] {
  return errors.flatMap((error) => {
    const index = /^\d+$/.test(error.property);
    const field = parent === null ? error.property : index ? `${parent.field}[${error.property}]` : `${parent.field}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field, code, message: parent === null ? message : `${parent.dotted}.${message}` }));
    const dotted = parent === null ? error.property : `${parent.dotted}.${error.property}`;
    return [...own, ...fieldProblems(error.children ?? [], { field, dotted })];
  });
}

/** The ValidationPipe's refusal: 400 naming every invalid field at once, each with its rule's code. */
export function fieldsInvalid(errors: ValidationError[]): FieldsInvalidError {
  const problems = fieldProblems(errors);
  return new FieldsInvalidError(problems.length > 0 ? problems : [{ field: '(body)', code: 'invalid', message: 'the request is not valid' }]);
}
