// Hold countdowns. The server's clock decides when a hold expires, so the client measures
// the distance to expires_at with its own clock corrected by the skew seen in the answer.

/** Whole seconds shown as m:ss (a hold is at most an hour or so, so no hours field). */
export function formatCountdown(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Seconds left until an RFC 3339 instant, given how far the server's clock is ahead of ours. */
export function secondsUntil(iso: string, nowMs: number, serverAheadMs: number): number {
  const deadline = Date.parse(iso);
  if (Number.isNaN(deadline)) return 0;
  return Math.max(0, (deadline - (nowMs + serverAheadMs)) / 1000);
}

/**
 * How far the server's clock is ahead of ours, from an answer's Date header. The header has
 * whole seconds, so differences under two seconds are treated as none rather than noise.
 */
export function serverSkewMs(dateHeader: string | null, receivedAtMs: number): number {
  if (!dateHeader) return 0;
  const serverMs = Date.parse(dateHeader);
  if (Number.isNaN(serverMs)) return 0;
  const skew = serverMs - receivedAtMs;
  return Math.abs(skew) < 2000 ? 0 : skew;
}
