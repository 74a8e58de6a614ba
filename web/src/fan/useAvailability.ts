// Keeps the seat statuses fresh: GET /availability once in full, then every second with
// ?since=VERSION for just the changes, while the page is visible. The seat list itself is
// never fetched again.

import { useRef } from 'preact/hooks';
import { ApiError } from '../api/errors';
import { readAvailability } from '../api/endpoints';
import type { AvailabilityCounts } from '../api/types';
import { usePolling } from '../ui/usePolling';
import type { SeatStatuses } from './seatmap/status';

const POLL_INTERVAL_MS = 1000;
// After failures the interval doubles up to this, so a down server is not hammered.
const POLL_INTERVAL_MAX_MS = 16000;

/** `changed` lists the seats whose status changed; null means every seat may have. */
export type AvailabilityListener = (changed: number[] | null, counts: AvailabilityCounts | undefined) => void;

export function useAvailability(eventId: string, statuses: SeatStatuses | null, onChange: AvailabilityListener): void {
  const listener = useRef(onChange);
  listener.current = onChange;
  // Quiet polls (nothing changed) must not re-render the page or redraw the map.
  const lastCounts = useRef('');
  const countsChanged = (counts: AvailabilityCounts | undefined) => {
    const key = counts ? `${counts.available}/${counts.held}/${counts.sold}` : '';
    if (key === lastCounts.current) return false;
    lastCounts.current = key;
    return true;
  };

  usePolling(
    async (signal) => {
      if (!statuses) return 'stop';
      const edits = statuses.localEdits;
      let answer;
      try {
        answer = await readAvailability(eventId, statuses.version, signal);
      } catch (error) {
        // No availability endpoint (or no such event): the seat list's statuses stay as shown.
        if (error instanceof ApiError && error.status === 404) return 'stop';
        throw error;
      }
      // The page marked seats itself while this poll was out: the answer may predate that,
      // and its version would make the guess permanent. Ask again, in full.
      if (statuses.localEdits !== edits) return 'now';
      if (answer.statuses !== undefined) {
        if (statuses.replaceAll(answer.statuses, answer.version)) {
          countsChanged(answer.counts);
          listener.current(null, answer.counts);
        }
      } else if (answer.changes) {
        const changed = statuses.applyChanges(answer.changes, answer.version);
        if (countsChanged(answer.counts) || changed.length > 0) listener.current(changed, answer.counts);
      }
      return undefined;
    },
    [eventId, statuses],
    { intervalMs: POLL_INTERVAL_MS, maxIntervalMs: POLL_INTERVAL_MAX_MS, enabled: statuses !== null },
  );
}
