// The facts at the top of an event page: when, where, what it costs, whether it is on sale.

import type { AvailabilityCounts, BoxEvent } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { availabilityText, statusText } from './eventText';

export function EventFacts({ event, counts }: { event: BoxEvent; counts: AvailabilityCounts | null }) {
  const available = counts ? counts.available : event.available;
  return (
    <div class="event-facts">
      {event.artist ? <p class="event-facts__artist">{event.artist}</p> : null}
      <dl class="facts">
        <div>
          <dt>Date</dt>
          <dd>
            <time dateTime={event.starts_at}>{formatDateTime(event.starts_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Venue</dt>
          <dd>{event.venue.name}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge--${event.status}`}>{statusText(event)}</span>
          </dd>
        </div>
        <div>
          <dt>Availability</dt>
          <dd aria-live="polite">{availabilityText(available, event.capacity)}</dd>
        </div>
      </dl>
      <h2 class="section-title">Prices</h2>
      <ul class="prices">
        {Object.entries(event.prices).map(([category, amount]) => (
          <li key={category}>
            <span class="prices__category">{category}</span>
            <span class="prices__amount">{formatMoney(amount, event.currency)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
