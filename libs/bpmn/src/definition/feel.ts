import { parseExpression } from 'feelin';
import { ENGINE_FEEL_FUNCTIONS } from '../engine/feel-runtime';

/** Names the parser must know to read calls of the engine's own functions. */
const PARSE_CONTEXT: Record<string, unknown> = Object.fromEntries(ENGINE_FEEL_FUNCTIONS.map((name) => [name, name]));

/** Zeebe marks an expression with a leading "="; anything else is a static value. */
export function isFeelExpression(value: string): boolean {
  return value.trimStart().startsWith('=');
}

/** The FEEL text of "=expr". */
export function feelText(value: string): string {
  return value.trimStart().slice(1);
}

/** The first syntax problem in a FEEL expression, or undefined when it parses. */
export function feelSyntaxError(expression: string): string | undefined {
  if (expression.trim() === '') return 'the expression is empty';
  let position: number | undefined;
  try {
    parseExpression(expression, PARSE_CONTEXT, undefined).iterate({
      enter(node) {
        if (node.type.isError && position === undefined) position = node.from;
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (position === undefined) return undefined;
  const near = expression.slice(position, position + 20);
  return near ? `syntax error at position ${position + 1} near "${near}"` : `syntax error at position ${position + 1} (unexpected end)`;
}
