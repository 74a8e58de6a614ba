// Keeps the seat statuses fresh: GET /availability once in full, then every second with
// ?since=VERSION for just the changes, while the page is visible. The seat list itself is
// never fetched again.

import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { readAvailability } from '../api/endpoints';
import type { AvailabilityCounts } from '../api/types';
import type { SeatStatuses } from './seatmap/status';

const POLL_INTERVAL_MS = 1000;
// After failures the interval doubles up to this, so a down server is not hammered.
const POLL_INTERVAL_MAX_MS = 16000;

/** `changed` lists the seats whose status changed; null means every seat may have. */
export type AvailabilityListener = (changed: number[] | null, counts: AvailabilityCounts | undefined) => void;

export function useAvailability(eventId: string, statuses: SeatStatuses | null, onChange: AvailabilityListener): void {
  const listener = useRef(onChange);
  listener.current = onChange;

  useEffect(() => {
    if (!statuses) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polling = false;
    let interval = POLL_INTERVAL_MS;
    let lastCounts = '';
    // Quiet polls (nothing changed) must not re-render the page or redraw the map.
    const countsChanged = (counts: AvailabilityCounts | undefined) => {
      const key = counts ? `${counts.available}/${counts.held}/${counts.sold}` : '';
      if (key === lastCounts) return false;
      lastCounts = key;
      return true;
    };

    const schedule = (delay: number) => {
      clearTimeout(timer);
      timer = setTimeout(poll, delay);
    };

    async function poll(): Promise<void> {
      if (polling || controller.signal.aborted || !statuses) return;
      // A hidden tab polls nothing; becoming visible again polls at once (below).
      if (document.visibilityState !== 'visible') return;
      polling = true;
      try {
        const answer = await readAvailability(eventId, statuses.version, controller.signal);
        if (answer.statuses !== undefined) {
          if (statuses.replaceAll(answer.statuses, answer.version)) {
            countsChanged(answer.counts);
            listener.current(null, answer.counts);
          }
        } else if (answer.changes) {
          const changed = statuses.applyChanges(answer.changes, answer.version);
          if (countsChanged(answer.counts) || changed.length > 0) listener.current(changed, answer.counts);
        }
        interval = POLL_INTERVAL_MS;
      } catch (error) {
        if (controller.signal.aborted) return;
        // No availability endpoint (or no such event): the seat list's statuses stay as shown.
        if (error instanceof ApiError && error.status === 404) return;
        interval = Math.min(POLL_INTERVAL_MAX_MS, interval * 2);
      } finally {
        polling = false;
      }
      if (!controller.signal.aborted) schedule(interval);
    }

    const onVisibility = () => {
      if (document.visibilityState === 'visible') schedule(0);
    };
    document.addEventListener('visibilitychange', onVisibility);
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [eventId, statuses]);
}
