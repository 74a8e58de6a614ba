// "Very busy" for requests that are not sent again by themselves (a repeat could act twice:
// a second check-in, a second venue). The person decides: the wait the server asked for
// counts down, then "Try again" sends the same request once more.

import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';

const RETRY_AFTER_DEFAULT_SECONDS = 2;

export interface BusyOffer {
  untilMs: number;
  retry: () => void;
}

export interface BusyRetryState {
  offer: BusyOffer | null;
  /** For a 429/503: remembers how to send the request again and returns true; else false. */
  offerRetry: (error: unknown, retry: () => void) => boolean;
  clear: () => void;
}

export function useBusyRetry(): BusyRetryState {
  const [offer, setOffer] = useState<BusyOffer | null>(null);
  const offerRetry = useCallback((error: unknown, retry: () => void) => {
    if (!(error instanceof ApiError) || !error.isBusy) return false;
    const seconds = Math.max(1, error.retryAfterSeconds ?? RETRY_AFTER_DEFAULT_SECONDS);
    setOffer({ untilMs: Date.now() + seconds * 1000, retry });
    return true;
  }, []);
  const clear = useCallback(() => setOffer(null), []);
  return { offer, offerRetry, clear };
}

export function BusyRetry({ state, disabled }: { state: BusyRetryState; disabled?: boolean }) {
  const { offer, clear } = state;
  const secondsLeft = () => (offer ? Math.max(0, Math.ceil((offer.untilMs - Date.now()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(secondsLeft);
  useEffect(() => {
    setSeconds(secondsLeft());
    if (!offer) return;
    const timer = setInterval(() => {
      const left = secondsLeft();
      setSeconds(left);
      if (left <= 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [offer]);
  if (!offer) return null;
  return (
    <div class="alert alert--warning busy-retry">
      <p role="status">{seconds > 0 ? `Very busy. Try again in ${seconds} s.` : 'Very busy. You can try again now.'}</p>
      <button
        type="button"
        class="button"
        disabled={disabled || seconds > 0}
        onClick={() => {
          clear();
          offer.retry();
        }}
      >
        Try again
      </button>
    </div>
  );
}
