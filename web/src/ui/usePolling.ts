// One polling loop for every page that re-reads something on a timer: one request at a time,
// nothing while the tab is hidden (and a poll at once when it shows again), the interval
// doubled after each failure up to a ceiling, and a way for a poll to stop the loop for good
// (say, after 401/403, when asking again cannot succeed).

import { useEffect, useRef } from 'preact/hooks';

/** What a poll asks for next: the usual interval, another poll at once, or no more polls. */
export type PollNext = void | 'now' | 'stop';

export interface PollingOptions {
  intervalMs: number;
  /** Ceiling for the interval after failures. */
  maxIntervalMs: number;
  /** false: no polling (yet). */
  enabled?: boolean;
}

export function usePolling(
  poll: (signal: AbortSignal) => Promise<PollNext>,
  deps: unknown[],
  { intervalMs, maxIntervalMs, enabled = true }: PollingOptions,
): void {
  const pollRef = useRef(poll);
  pollRef.current = poll;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let stopped = false;
    let wait = intervalMs;

    const schedule = (delay: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), delay);
    };

    async function tick(): Promise<void> {
      if (running || stopped || controller.signal.aborted) return;
      // A hidden tab polls nothing; becoming visible again polls at once (below).
      if (document.visibilityState !== 'visible') return;
      running = true;
      let next: PollNext;
      try {
        next = await pollRef.current(controller.signal);
        wait = intervalMs;
      } catch {
        if (controller.signal.aborted) return;
        next = undefined;
        wait = Math.min(maxIntervalMs, wait * 2);
      } finally {
        running = false;
      }
      if (controller.signal.aborted) return;
      if (next === 'stop') {
        stopped = true;
        return;
      }
      schedule(next === 'now' ? 0 : wait);
    }

    const onVisibility = () => {
      if (document.visibilityState === 'visible' && !running && !stopped) schedule(0);
    };
    document.addEventListener('visibilitychange', onVisibility);
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [...deps, enabled, intervalMs, maxIntervalMs]);
}
