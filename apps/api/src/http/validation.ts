import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '@xuncha/contracts';
import { FieldsInvalidError } from '@xuncha/contracts';

/** Every broken rule of every field, nested fields by their path, in the order the checks found them. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({ field, code, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** The ValidationPipe's refusal: 400 naming every invalid field at once, each with its rule's code. */
export function fieldsInvalid(errors: ValidationError[]): FieldsInvalidError {
  const problems = fieldProblems(errors);
  return new FieldsInvalidError(problems.length > 0 ? problems : [{ field: '(body)', code: 'invalid', message: 'the request is not valid' }]);
}
