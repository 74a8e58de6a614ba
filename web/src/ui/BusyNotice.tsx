// The single "very busy" line: shown while any request waits out a 429/503 Retry-After.

import { useEffect, useState } from 'preact/hooks';
import { busySecondsLeft, subscribeBusy } from '../api/busy';

export function BusyNotice() {
  const [seconds, setSeconds] = useState<number | null>(busySecondsLeft());
  useEffect(() => subscribeBusy(setSeconds), []);
  // The region stays in the document so screen readers already watch it when text appears.
  return (
    <div role="status" aria-live="polite" class={seconds === null ? 'busy busy--idle' : 'busy'}>
      {seconds === null ? '' : `Very busy, trying again in ${seconds} s`}
    </div>
  );
}
