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

/**
 * Camunda's FEEL lets a string literal span lines (a prompt, a message template); the FEEL
 * parser this engine uses does not. Line breaks inside string literals become the escapes
 * `\n` and `\r`, which mean the same string; everything else (line breaks between tokens,
 * comments) stays as written.
 */
export function normalizeFeel(expression: string): string {
  if (!/[\r\n]/.test(expression)) return expression;
  let out = '';
  let at = 0;
  while (at < expression.length) {
    const c = expression[at]!;
    if (c === '"') {
      let end = at + 1;
      let literal = '"';
      while (end < expression.length && expression[end] !== '"') {
        const d = expression[end]!;
        if (d === '\\' && end + 1 < expression.length) {
          literal += d + expression[end + 1]!;
          end += 2;
          continue;
        }
        literal += d === '\n' ? '\\n' : d === '\r' ? '\\r' : d;
        end += 1;
      }
      out += literal + (end < expression.length ? '"' : '');
      at = end + 1;
    } else if (expression.startsWith('//', at) || expression.startsWith('/*', at)) {
      const block = expression.startsWith('/*', at);
      const close = block ? expression.indexOf('*/', at + 2) : expression.indexOf('\n', at + 2);
      const end = close === -1 ? expression.length : close + (block ? 2 : 0);
      out += expression.slice(at, end);
      at = end;
    } else {
      out += c;
      at += 1;
    }
  }
  return out;
}

/** A zeebe value as the engine evaluates it: "=expr" with {@link normalizeFeel} applied, anything else unchanged. */
export function normalizeFeelValue(value: string): string {
  if (!isFeelExpression(value)) return value;
  const start = value.indexOf('=') + 1;
  return value.slice(0, start) + normalizeFeel(value.slice(start));
}

/** Results of {@link feelSyntaxError} by expression: definitions repeat expressions (=result, =items[1]) thousands of times. */
const syntaxChecked = new Map<string, string | undefined>();
const SYNTAX_CACHE_SIZE = 5_000;

/** The first syntax problem in a FEEL expression, or undefined when it parses. */
export function feelSyntaxError(expression: string): string | undefined {
  if (syntaxChecked.has(expression)) return syntaxChecked.get(expression);
  const problem = firstSyntaxError(expression);
  if (syntaxChecked.size >= SYNTAX_CACHE_SIZE) syntaxChecked.clear();
  syntaxChecked.set(expression, problem);
  return problem;
}

function firstSyntaxError(expression: string): string | undefined {
  if (expression.trim() === '') return 'the expression is empty';
  let position: number | undefined;
  try {
    parseExpression(normalizeFeel(expression), PARSE_CONTEXT, undefined).iterate({
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
