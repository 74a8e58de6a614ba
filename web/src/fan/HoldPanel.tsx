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
  const headingRef = useRef<HTMLHeadingElement>(null);
  const expiredRef = useRef(onExpired);
  expiredRef.current = onExpired;

  useEffect(() => {
    headingRef.current?.focus();
  }, [hold.id]);

  useEffect(() => {
    // Ticks four times a second so the display never lags a whole second behind the clock.
    const tick = () => {
      const left = secondsUntil(hold.expires_at, Date.now(), serverAheadMs);
      setSecondsLeft(left);
      if (left <= 0) {
        clearInterval(timer);
        expiredRef.current();
      }
    };
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [hold.expires_at, serverAheadMs]);

  async function pay(): Promise<void> {
    setWorking('pay');
    setError(null);
    try {
      const { order } = await placeOrder(hold.id, token, newIdempotencyKey());
      onPaid(order);
    } catch (failure) {
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
      setWorking(null);
    }
  }

  async function release(): Promise<void> {
    setWorking('release');
    setError(null);
    try {
      await releaseHold(hold.id);
      onReleased();
    } catch (failure) {
      // Already gone on the server (expired or used): nothing left to release.
      if (failure instanceof ApiError && (failure.status === 404 || failure.code === 'hold_expired')) onReleased();
      else setError(describeError(failure));
    } finally {
      setWorking(null);
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
        <span role="timer" aria-label="Time left on your hold" data-testid="hold-countdown" class="countdown__time">
          {formatCountdown(secondsLeft)}
        </span>
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
