import { InvalidRequestError } from '@xuncha/contracts';

/**
 * Keyset cursors: an opaque token naming where a page ended (the list's sort and the last
 * row's key). A cursor is tied to the sort it was made for; any other use is refused.
 */
export function encodeCursor(kind: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

/** The key a cursor carries, if it was made for `kind`; otherwise a 400 naming `cursor`. */
export function decodeCursor(cursor: string, kind: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRequestError('cursor', 'cursor is not a cursor this list gave out');
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind) {
    throw new InvalidRequestError('cursor', 'cursor was made for another list or sort order; start again without it');
  }
  return parsed.slice(1);
}
