import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { InvalidRequestError } from '@xuncha/contracts';
import type { NextFunction, Request, Response } from 'express';

/** How deep JSON bodies may nest (objects and arrays); deeper ones are refused before they are parsed. */
export const MAX_JSON_DEPTH = 64;

/** Why a text may not be stored or sent into a workflow (a NUL character, half a surrogate pair), or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  return (text as string & { isWellFormed(): boolean }).isWellFormed() ? null : 'contains a lone surrogate (not valid Unicode text)';
}

/** The path of a member below `parent`, as messages name fields: variables.note, candidateUsers[1]. */
function child(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * The first value below `value` that no part of the engine may take, with the field it sits in:
 * text with NUL or lone surrogates (Postgres refuses it, after a workflow has taken it), and
 * integers beyond ±2^53, which JSON parsing has already rounded.
 */
export function hostileValue(value: unknown, path: string): { field: string; reason: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path, reason: problem } : null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { field: path, reason: 'is not a finite number' };
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { field: path, reason: `is an integer beyond ±${Number.MAX_SAFE_INTEGER}, which cannot be kept exactly` };
    return null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = hostileValue(value[index], child(path, index));
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, member] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: child(path, JSON.stringify(key).slice(1, -1)), reason: `has a name that ${keyProblem}` };
      const found = hostileValue(member, child(path, key));
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses, with 400 naming the field, a body, query or path value carrying what no part of the
 * engine may take (see {@link hostileValue}): it is never stored and never sent into a workflow.
 * Runs before validation, on every route.
 */
@Injectable()
export class HostileInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = hostileValue(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (found) {
      const field = found.field === '' ? metadata.type : found.field;
      throw new InvalidRequestError(field, `${field} ${found.reason}`);
    }
    return value;
  }
}

/** How deep the JSON text nests, counted without parsing it; stops counting past `limit`. */
export function jsonDepth(text: Buffer, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index]!;
    if (inString) {
      if (byte === 0x5c) index++; // the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** The `verify` hook of the JSON body parser: bodies nested deeper than {@link MAX_JSON_DEPTH} are refused unparsed. */
export function refuseDeepJson(_request: unknown, _response: unknown, body: Buffer): void {
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), { type: 'entity.too.deep', status: 400 });
  }
}

/** The media type of a request's body, lower case without parameters. */
function mediaType(request: Request): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Refuses with 415 a body the route does not take: JSON everywhere, BPMN XML or a multipart
 * upload only where `others` lists the route. A request without a body passes.
 */
export function requireBodyType(others: Record<string, string[]>) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const length = request.headers['content-length'];
    const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    const type = mediaType(request);
    const allowed = ['application/json', ...(others[`${request.method} ${request.path.replace(/\/+$/, '') || '/'}`] ?? [])];
    if (allowed.includes(type)) return next();
    response.status(415).json({
      error: 'unsupported-media-type',
      message: `this route takes ${allowed.join(' or ')}, not ${type === '' ? 'a body without a content type' : type}`,
      details: { field: 'content-type', allowed },
    });
  };
}
