// The one place that talks HTTP to /api/v1: JSON in and out, the session cookie sent by the
// browser, the CSRF token added to unsafe requests, contract errors turned into ApiError,
// and 429/503 retried after Retry-After.

import { ApiError, networkError, parseRetryAfter } from './errors';
import { waitWhileBusy } from './busy';
import type { SessionAnswer } from './types';

const BASE = '/api/v1';

// Bounds the automatic retries so a server that stays overloaded ends in an error message
// rather than an endless wait; with Retry-After of 1-5 s this is about a minute or more.
const BUSY_RETRIES_MAX = 15;
const RETRY_AFTER_DEFAULT_SECONDS = 2;
const RETRY_AFTER_MAX_SECONDS = 120;

// Kept in memory only: a token in localStorage would be readable by any script that ever
// runs on the origin, and the HttpOnly cookie alone cannot be used cross-site without it.
let csrfToken: string | null = null;
let sessionRefreshed: ((answer: SessionAnswer | null) => void) | undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Lets the session store learn about a session re-read after a csrf_failed answer. */
export function onSessionRefreshed(listener: (answer: SessionAnswer | null) => void): void {
  sessionRefreshed = listener;
}

export interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is with `contentType` (poster uploads). */
  blob?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** false: a 429/503 is thrown at once instead of waited out (log-in lockouts). */
  retryWhenBusy?: boolean;
}

export interface Answer<T> {
  data: T;
  status: number;
  /** The server's Date header, for correcting countdowns against clock skew. */
  date: string | null;
  receivedAtMs: number;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function sendOnce<T>(method: string, path: string, options: RequestOptions): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.blob) {
    headers['Content-Type'] = options.contentType ?? (options.blob.type || 'application/octet-stream');
    body = options.blob;
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body ?? null,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
  const receivedAtMs = Date.now();
  const text = response.status === 204 ? '' : await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      typeof error.message === 'string' ? error.message : response.statusText,
      typeof error.field === 'string' ? error.field : undefined,
      response.status === 429 || response.status === 503 ? (retryAfter ?? RETRY_AFTER_DEFAULT_SECONDS) : retryAfter,
      error,
    );
  }
  return { data: parsed as T, status: response.status, date: response.headers.get('Date'), receivedAtMs };
}

/** Re-reads the session after csrf_failed (the token rotates when the session does). */
async function refreshCsrf(signal?: AbortSignal): Promise<boolean> {
  try {
    const me = await sendOnce<SessionAnswer>('GET', '/me', signal ? { signal } : {});
    csrfToken = me.data.csrf_token;
    sessionRefreshed?.(me.data);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      csrfToken = null;
      sessionRefreshed?.(null);
    }
    return false;
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  let csrfRefreshed = false;
  for (let busyRetries = 0; ; ) {
    try {
      return await sendOnce<T>(method, path, options);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'csrf_failed' && !csrfRefreshed) {
        csrfRefreshed = true;
        if (await refreshCsrf(options.signal)) continue;
        throw error;
      }
      if (error.isBusy && options.retryWhenBusy !== false && busyRetries < BUSY_RETRIES_MAX) {
        busyRetries += 1;
        const seconds = Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(1, error.retryAfterSeconds ?? RETRY_AFTER_DEFAULT_SECONDS));
        await waitWhileBusy(seconds, options.signal);
        continue;
      }
      throw error;
    }
  }
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await request<T>(method, path, options)).data;
}
