// The seats held for this person: what they are, what they cost, how long they stay held,
// and the test checkout. A declined card keeps the hold, so the person can try again.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { placeOrder, releaseHold } from '../api/endpoints';
import type { Hold, Order } from '../api/types';
import { formatCountdown, secondsUntil } from '../lib/countdown';
import { newIdempotencyKey } from '../lib/idempotency';
import { formatMoney } from '../lib/money';
import { Alert } from '../ui/Alert';
import { seatLabel } from './seatText';

type TestToken = 'tok_visa' | 'tok_declined';

// Automatic "very busy" retries of a payment go on a little past the hold's expiry: the
// server may still be working through the queue, and its answer decides, not our clock.
const PAY_RETRY_MARGIN_MS = 15_000;

/** Spoken once when the time left first drops to each mark. */
const ANNOUNCEMENTS: ReadonlyArray<readonly [number, string]> = [
  [60, '1 minute left to pay'],
  [10, '10 seconds left'],
];

interface PaymentAttempt {
  holdId: string;
  token: TestToken;
  key: string;
}

/**
 * Whether the server has definitely decided this payment, so sending the same key again
 * would only replay that answer. A lost answer, a 5xx or "very busy" leave it open: the
 * same key then lets the server recognise a repeat instead of selling twice.
 */
function paymentDecided(failure: unknown): boolean {
  if (!(failure instanceof ApiError) || failure.status < 400 || failure.status >= 500 || failure.isBusy) return false;
  return failure.status !== 409 || failure.code === 'idempotency_key_reused';
}

export function HoldPanel({
  hold,
  serverAheadMs,
  onReleased,
  onExpired,
  onPaid,
}: {
  hold: Hold;
  serverAheadMs: number;
  onReleased(): void;
  onExpired(): void;
  onPaid(order: Order): void;
}) {
  const [secondsLeft, setSecondsLeft] = useState(() => secondsUntil(hold.expires_at, Date.now(), serverAheadMs));
  const [token, setToken] = useState<TestToken>('tok_visa');
  const [working, setWorking] = useState<'pay' | 'release' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const expiredRef = useRef(onExpired);
  expiredRef.current = onExpired;
  // One key per payment attempt, kept until the server has decided it (see paymentDecided).
  const attemptRef = useRef<PaymentAttempt | null>(null);
  // While the server is deciding a payment, the clock alone must not give up the hold: the
  // order may well have been placed in time.
  const payingRef = useRef(false);
  // Whatever is in flight belongs to this panel: leaving the page must not let a late
  // answer navigate or change anything.
  const controllerRef = useRef(new AbortController());

  useEffect(() => {
    const controller = new AbortController();
    controllerRef.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    headingRef.current?.focus();
  }, [hold.id]);

  useEffect(() => {
    let previous = Math.ceil(secondsUntil(hold.expires_at, Date.now(), serverAheadMs));
    // Ticks four times a second so the display never lags a whole second behind the clock.
    const tick = () => {
      const left = secondsUntil(hold.expires_at, Date.now(), serverAheadMs);
      setSecondsLeft(left);
      const whole = Math.ceil(left);
      for (const [mark, text] of ANNOUNCEMENTS) {
        if (previous > mark && whole <= mark && whole > 0) setAnnouncement(text);
      }
      previous = whole;
      if (left <= 0 && !payingRef.current) {
        clearInterval(timer);
        expiredRef.current();
      }
    };
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [hold.expires_at, serverAheadMs]);

  async function pay(): Promise<void> {
    const { signal } = controllerRef.current;
    let attempt = attemptRef.current;
    if (!attempt || attempt.holdId !== hold.id || attempt.token !== token) {
      attempt = { holdId: hold.id, token, key: newIdempotencyKey() };
      attemptRef.current = attempt;
    }
    const expiresMs = Date.parse(hold.expires_at) - serverAheadMs;
    payingRef.current = true;
    setWorking('pay');
    setError(null);
    try {
      const { order } = await placeOrder(hold.id, attempt.token, attempt.key, {
        signal,
        ...(Number.isNaN(expiresMs) ? {} : { retryDeadlineMs: expiresMs + PAY_RETRY_MARGIN_MS }),
      });
      if (signal.aborted) return;
      onPaid(order);
    } catch (failure) {
      if (signal.aborted) return;
      if (paymentDecided(failure)) attemptRef.current = null;
      if (failure instanceof ApiError && failure.code === 'payment_declined') {
        setError('Your payment was declined. Your seats are still held: choose the approved test card and pay again.');
      } else if (failure instanceof ApiError && failure.code === 'hold_expired') {
        onExpired();
      } else if (failure instanceof ApiError && failure.code === 'seats_unavailable') {
        setError('A seat of this hold was sold meanwhile. Release the hold and pick again.');
      } else {
        setError(describeError(failure));
      }
    } finally {
      // The countdown expires the hold on its next tick if the time ran out meanwhile.
      payingRef.current = false;
      if (!signal.aborted) setWorking(null);
    }
  }

  async function release(): Promise<void> {
    const { signal } = controllerRef.current;
    setWorking('release');
    setError(null);
    try {
      await releaseHold(hold.id, signal);
      if (signal.aborted) return;
      onReleased();
    } catch (failure) {
      if (signal.aborted) return;
      // Already gone on the server (expired or used): nothing left to release.
      if (failure instanceof ApiError && (failure.status === 404 || failure.code === 'hold_expired')) onReleased();
      else setError(describeError(failure));
    } finally {
      if (!signal.aborted) setWorking(null);
    }
  }

  const urgent = secondsLeft <= 60;
  return (
    <section class="panel panel--hold" aria-labelledby="hold-heading">
      <h2 id="hold-heading" tabIndex={-1} ref={headingRef}>
        Your hold
      </h2>
      <p class={urgent ? 'countdown countdown--urgent' : 'countdown'}>
        Seats held for you for{' '}
        <span role="timer" data-testid="hold-countdown" class="countdown__time">
          {formatCountdown(secondsLeft)}
        </span>
      </p>
      {working === 'pay' && secondsLeft <= 0 ? (
        <p role="status" class="notice">
          Confirming your payment…
        </p>
      ) : null}
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      <ul class="seat-list">
        {hold.seats.map((seat) => (
          <li key={seat.id}>{seatLabel(seat)}</li>
        ))}
      </ul>
      <p class="total">
        Total <strong>{formatMoney(hold.total, hold.currency)}</strong>
      </p>
      <form
        class="checkout"
        onSubmit={(event) => {
          event.preventDefault();
          void pay();
        }}
      >
        <fieldset class="radio-group">
          <legend>Test card</legend>
          <p class="muted">
            This is a test checkout: no real money moves and no card details are asked for. The approved test card
            completes the order; the declined one shows what happens when a bank refuses a payment.
          </p>
          <label class="radio">
            <input
              type="radio"
              name="test-card"
              value="tok_visa"
              checked={token === 'tok_visa'}
              disabled={working === 'pay'}
              onChange={() => setToken('tok_visa')}
            />
            Approved test card (tok_visa)
          </label>
          <label class="radio">
            <input
              type="radio"
              name="test-card"
              value="tok_declined"
              checked={token === 'tok_declined'}
              disabled={working === 'pay'}
              onChange={() => setToken('tok_declined')}
            />
            Declined test card (tok_declined)
          </label>
        </fieldset>
        {error ? <Alert>{error}</Alert> : null}
        <div class="button-row">
          <button type="submit" class="button button--primary" disabled={working !== null}>
            {working === 'pay' ? 'Paying…' : 'Pay'}
          </button>
          <button type="button" class="button" disabled={working !== null} onClick={() => void release()}>
            Release seats
          </button>
        </div>
      </form>
    </section>
  );
}
