// Every failed call becomes an ApiError carrying the contract's error object, so pages branch
// on `code` (normative) and never on message text.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
    /** Seconds from Retry-After on 429/503, else undefined. */
    readonly retryAfterSeconds: number | undefined,
    /** The whole error object, for extra members such as `unavailable` or `checked_in_at`. */
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isBusy(): boolean {
    return this.status === 429 || this.status === 503;
  }
}

/** Status 0: the request never got an HTTP answer (offline, DNS, connection reset). */
export function networkError(cause: unknown): ApiError {
  const message = cause instanceof Error ? cause.message : 'network error';
  return new ApiError(0, 'network_error', `Could not reach Boxoffice (${message}).`, undefined, undefined, {});
}

/** A sentence for the person in front of the page; codes the page handles itself come first. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'network_error':
      return 'Could not reach Boxoffice. Check your connection and try again.';
    case 'unauthenticated':
      return 'Please log in first.';
    case 'forbidden':
      return 'Your account may not do this.';
    case 'csrf_failed':
      return 'Your session changed in another tab. Reload the page and try again.';
    case 'rate_limited':
    case 'overloaded':
    case 'unavailable':
      return 'Boxoffice is very busy right now. Please try again in a moment.';
    case 'internal':
      return 'Something went wrong on our side. Please try again.';
    default:
      return error.message || 'Something went wrong. Please try again.';
  }
}

export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
