// The one place that talks HTTP to /api/v1: JSON in and out, the session cookie sent by the
// browser, the CSRF token added to unsafe requests, contract errors turned into ApiError,
// and 429/503 retried after Retry-After where a repeat cannot do anything twice.

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
// Whose token it is: after csrf_failed a request is replayed only for the same person.
let sessionUserId: string | null = null;
let sessionRefreshed: ((answer: SessionAnswer | null) => void) | undefined;

export function setCsrfToken(token: string | null, userId: string | null = null): void {
  csrfToken = token;
  sessionUserId = token ? userId : null;
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
  /**
   * Whether a 429/503 is waited out and the request sent again by itself. By default only
   * when a repeat is harmless: reads, DELETE, and requests carrying an Idempotency-Key.
   * Anything else is thrown at once so the page can offer "Try again".
   */
  retryWhenBusy?: boolean;
  /** Client clock (ms): no automatic retry is started whose wait would end after this. */
  retryDeadlineMs?: number;
}

export interface Answer<T> {
  data: T;
  status: number;
  /** The server's Date header, for correcting countdowns against clock skew. */
  date: string | null;
  receivedAtMs: number;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REPEATABLE = new Set(['GET', 'HEAD', 'DELETE']);

function retriesWhenBusy(method: string, options: RequestOptions): boolean {
  if (options.retryWhenBusy !== undefined) return options.retryWhenBusy;
  if (REPEATABLE.has(method)) return true;
  return Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
}

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

/**
 * Re-reads the session after csrf_failed (the token rotates when the session does). Says
 * whether the request may be sent again: only while the same person is still signed in, as
 * replaying one person's action under another's session would act for the wrong account.
 */
async function refreshCsrf(signal?: AbortSignal): Promise<'same' | 'other' | 'signed_out' | 'unknown'> {
  const before = sessionUserId;
  try {
    const me = await sendOnce<SessionAnswer>('GET', '/me', signal ? { signal } : {});
    csrfToken = me.data.csrf_token;
    sessionUserId = me.data.user.id;
    sessionRefreshed?.(me.data);
    return before !== null && me.data.user.id === before ? 'same' : 'other';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      csrfToken = null;
      sessionUserId = null;
      sessionRefreshed?.(null);
      return 'signed_out';
    }
    if (!(error instanceof ApiError)) throw error;
    return 'unknown';
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  let csrfRefreshed = false;
  const retryBusy = retriesWhenBusy(method, options);
  for (let busyRetries = 0; ; ) {
    try {
      return await sendOnce<T>(method, path, options);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'csrf_failed' && !csrfRefreshed) {
        csrfRefreshed = true;
        const session = await refreshCsrf(options.signal);
        if (session === 'same') continue;
        if (session === 'signed_out') {
          throw new ApiError(401, 'unauthenticated', 'You were signed out.', undefined, undefined, {});
        }
        throw error;
      }
      if (error.isBusy && retryBusy && busyRetries < BUSY_RETRIES_MAX) {
        const seconds = Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(1, error.retryAfterSeconds ?? RETRY_AFTER_DEFAULT_SECONDS));
        if (options.retryDeadlineMs !== undefined && Date.now() + seconds * 1000 > options.retryDeadlineMs) throw error;
        busyRetries += 1;
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
