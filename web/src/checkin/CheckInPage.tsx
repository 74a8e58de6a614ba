// The door: type or paste (or let a keyboard-wedge scanner type) a ticket code, press Enter,
// read the verdict from across the room. The field empties and keeps focus for the next one.

import { useEffect, useRef, useState } from 'preact/hooks';
import { checkIn } from '../api/endpoints';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { PageHeading } from '../ui/Heading';
import { admitted, fromFailure, type CheckinResult } from './checkinResult';

const ICONS = { admitted: '✓', already: '!', invalid: '✕', void: '✕', error: '?' } as const;

export function CheckInPage() {
  const [code, setCode] = useState('');
  const [result, setResult] = useState<(CheckinResult & { scan: number; at: Date }) | null>(null);
  const [working, setWorking] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const scans = useRef(0);
  const busy = useBusyRetry();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  async function submit(text = code.trim()): Promise<void> {
    if (!text || working) return;
    setWorking(true);
    busy.clear();
    let next: CheckinResult;
    try {
      next = admitted((await checkIn(text)).ticket);
    } catch (error) {
      // The server did not look at this code: keep it in the field for "Try again" rather
      // than show a verdict about it.
      if (busy.offerRetry(error, () => void submit(text))) {
        setWorking(false);
        requestAnimationFrame(() => inputRef.current?.focus());
        return;
      }
      next = fromFailure(error);
    }
    scans.current += 1;
    setResult({ ...next, scan: scans.current, at: new Date() });
    setCode('');
    setWorking(false);
    // After the re-render enables the field again.
    requestAnimationFrame(() => inputRef.current?.focus());
  }

  return (
    <div class="checkin">
      <PageHeading>Check-in</PageHeading>
      <form
        class="checkin__form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label for="ticket-code" class="checkin__label">
          Ticket code
        </label>
        <div class="checkin__row">
          <input
            id="ticket-code"
            ref={inputRef}
            class="checkin__input"
            autoFocus
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            value={code}
            readOnly={working}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <button type="submit" class="button button--primary button--large" disabled={working || !code.trim()}>
            Check in
          </button>
        </div>
      </form>
      <BusyRetry state={busy} disabled={working} />
      <div aria-live="assertive" aria-atomic="true" class="checkin__live">
        {result ? (
          <div key={result.scan} class={`verdict verdict--${result.verdict}`} data-testid="checkin-result" data-result={result.verdict}>
            <span class="verdict__icon" aria-hidden="true">
              {ICONS[result.verdict]}
            </span>
            <p class="verdict__headline">{result.headline}</p>
            {result.detail ? <p class="verdict__detail">{result.detail}</p> : null}
            <p class="verdict__meta">Scan {result.scan} · {result.at.toLocaleTimeString()}</p>
          </div>
        ) : (
          <p class="muted">Waiting for the first ticket.</p>
        )}
      </div>
    </div>
  );
}
