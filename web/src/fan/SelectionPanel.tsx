// The seats picked on the map, each removable, and the button that holds them.

import type { Seat } from '../api/types';
import { formatMoney } from '../lib/money';
import { seatLabel, seatSpoken } from './seatText';

export function SelectionPanel({
  seats,
  prices,
  currency,
  maxSeats,
  disabledReason,
  working,
  onRemove,
  onHold,
}: {
  seats: Seat[];
  prices: Record<string, number>;
  currency: string;
  maxSeats: number;
  disabledReason: string | null;
  working: boolean;
  onRemove(seatId: string): void;
  onHold(): void;
}) {
  const total = seats.reduce((sum, seat) => sum + (prices[seat.category] ?? 0), 0);
  return (
    <section class="panel" aria-labelledby="selection-heading">
      <h2 id="selection-heading">Your selection</h2>
      {seats.length === 0 ? (
        <p class="muted">No seats picked yet. Pick seats on the map (up to {maxSeats}), or use best available below.</p>
      ) : (
        <>
          <ul class="seat-list">
            {seats.map((seat) => (
              <li key={seat.id}>
                <span>
                  {seatLabel(seat)}
                  <span class="seat-list__price">{formatMoney(prices[seat.category] ?? 0, currency)}</span>
                </span>
                <button
                  type="button"
                  class="button button--small button--quiet"
                  aria-label={`Remove ${seatSpoken(seat)}`}
                  onClick={() => onRemove(seat.id)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <p class="total">
            Total <strong>{formatMoney(total, currency)}</strong>
          </p>
        </>
      )}
      {disabledReason ? <p class="muted">{disabledReason}</p> : null}
      <button
        type="button"
        class="button button--primary"
        disabled={seats.length === 0 || disabledReason !== null || working}
        onClick={onHold}
      >
        Hold selected seats
      </button>
    </section>
  );
}
