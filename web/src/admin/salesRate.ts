// Orders per minute for the live dashboard, from the `orders` counter seen at each poll:
// the growth over the samples of the last minute. Until a minute of samples exists it is the
// growth since the page opened, which is what an organizer watching an opening wants.

export interface OrderSample {
  atMs: number;
  orders: number;
}

export const RATE_WINDOW_MS = 60_000;

/** Adds a sample and drops those older than the window (keeping one at or just past its edge). */
export function addSample(samples: readonly OrderSample[], sample: OrderSample, windowMs = RATE_WINDOW_MS): OrderSample[] {
  const all = [...samples, sample];
  const cutoff = sample.atMs - windowMs;
  let first = 0;
  while (first + 1 < all.length && (all[first + 1] as OrderSample).atMs <= cutoff) first += 1;
  return all.slice(first);
}

export function ordersPerMinute(samples: readonly OrderSample[]): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return 0;
  // A refund lowers nothing here (orders only grow), but never show a negative rate.
  return Math.max(0, last.orders - first.orders);
}
