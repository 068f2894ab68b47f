/** The API of the same origin, with the signed-in caller's token. */

const TOKEN_KEY = 'xuncha.token';

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  // Answers asked for early belong to the session that asked, as does who it is.
  prefetched.clear();
  settled.clear();
  sessionStorage.removeItem(ME_KEY);
  if (value === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

const ME_KEY = 'xuncha.me';

/** What the session last learnt of its caller (GET /auth/me), kept beside the token and gone with it. */
export function sessionValue<T>(): T | null {
  const kept = sessionStorage.getItem(ME_KEY);
  if (!kept || !token()) return null;
  try {
    return JSON.parse(kept) as T;
  } catch {
    return null;
  }
}

export function keepSessionValue(value: unknown): void {
  if (token()) sessionStorage.setItem(ME_KEY, JSON.stringify(value));
}

/** An answer other than 2xx: the API's error body, with its stable code and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Called when the session is gone (401 on a signed-in call): the console returns to the login. */
let onSignedOut: (() => void) | undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** Calls the API: a body is sent as JSON, or as is with the content type given (a BPMN file as application/xml). */
export async function api<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const early = method === 'GET' ? prefetched.get(path) : undefined;
  if (early) {
    prefetched.delete(path);
    settled.delete(path);
    return early as Promise<T>;
  }
  return call<T>(method, path, body, contentType);
}

/** Answers asked for before the page that needs them was loaded, each taken once by the first `api` call for its path, and only while fresh. */
const prefetched = new Map<string, Promise<unknown>>();
const PREFETCH_FRESH_MS = 5_000;

/** Asks for `path` now, while the code of the page that shows it is still on its way. */
export function prefetch<T>(path: string): Promise<T> | null {
  if (!token()) return null;
  const known = prefetched.get(path);
  if (known) return known as Promise<T>;
  const answer = call<T>('GET', path);
  // A refusal is the page's to report when it asks; until then it is not an unhandled one.
  answer.then(
    (value) => prefetched.get(path) === answer && settled.set(path, value),
    () => undefined,
  );
  prefetched.set(path, answer);
  // Not taken soon (the person went elsewhere), it is dropped: a later visit asks again.
  setTimeout(() => {
    if (prefetched.get(path) !== answer) return;
    prefetched.delete(path);
    settled.delete(path);
  }, PREFETCH_FRESH_MS);
  return answer;
}

/** Answers of {@link prefetch} already in: a page shows them in its first render instead of a loading state. */
const settled = new Map<string, unknown>();

/** The early answer for `path` if it has arrived (still to be taken by `api`), else undefined. */
export function peek<T>(path: string): T | undefined {
  return settled.get(path) as T | undefined;
}

async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const bearer = token();
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': contentType ?? 'application/json' }),
    },
    ...(body === undefined ? {} : { body: contentType ? (body as string) : JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (parsed ?? {}) as { error?: string; message?: string; details?: Record<string, unknown>; findings?: unknown };
    if (response.status === 401 && bearer) {
      setToken(null);
      onSignedOut?.();
    }
    // A refused deployment answers its findings beside the details.
    throw new ApiError(response.status, error.error ?? 'error', error.message ?? response.statusText, { ...(error.details ?? {}), ...(error.findings ? { findings: error.findings } : {}) });
  }
  return parsed as T;
}

/** Downloads a file of the API (a workbook, a letter) under the given name, with the caller's token. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const bearer = token();
  const response = await fetch(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  if (!response.ok) {
    if (response.status === 401 && bearer) {
      setToken(null);
      onSignedOut?.();
    }
    throw new ApiError(response.status, 'download-failed', response.statusText, {});
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Why a detail page could not show its object: not there, not the caller's to see, or no answer. */
export type LoadFailure = 'not-found' | 'forbidden' | 'error';

export function failureOf(error: unknown): LoadFailure {
  if (error instanceof ApiError && error.status === 404) return 'not-found';
  if (error instanceof ApiError && error.status === 403) return 'forbidden';
  return 'error';
}
