// The home page: every event on sale or coming up, soonest first, as poster cards.

import { listEvents } from '../api/endpoints';
import type { BoxEvent } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatMoney, lowestPrice } from '../lib/money';
import { ErrorAlert, Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';
import { availabilityText, statusText } from './eventText';
import { Poster } from './Poster';

// Cards are one column on phones, two from 40rem, three from 64rem (see layout.css).
const POSTER_SIZES = '(min-width: 64rem) 22rem, (min-width: 40rem) 45vw, 92vw';

function EventCard({ event }: { event: BoxEvent }) {
  const from = lowestPrice(event.prices);
  const href = `/events/${encodeURIComponent(event.id)}`;
  return (
    <article class="event-card">
      <Poster poster={event.poster} title={event.title} sizes={POSTER_SIZES} />
      <div class="event-card__body">
        <h2 class="event-card__title">
          <a href={href}>{event.title}</a>
        </h2>
        {event.artist ? <p class="event-card__artist">{event.artist}</p> : null}
        <p class="event-card__when">
          <time dateTime={event.starts_at}>{formatDateTime(event.starts_at)}</time>
        </p>
        <p class="event-card__venue">{event.venue.name}</p>
        <p class="event-card__meta">
          {from !== null ? <span class="event-card__price">from {formatMoney(from, event.currency)}</span> : null}
          <span class="event-card__availability">
            {event.status === 'on_sale' ? availabilityText(event.available, event.capacity) : statusText(event)}
          </span>
        </p>
      </div>
    </article>
  );
}

export function EventList() {
  const { data, error } = useAsync((signal) => listEvents(signal), []);
  return (
    <>
      <PageHeading title="Events">Upcoming events</PageHeading>
      {error ? <ErrorAlert error={error} /> : null}
      {!data && !error ? <Loading label="Loading events…" /> : null}
      {data && data.events.length === 0 ? <p class="empty">No events on sale yet. Check back soon.</p> : null}
      {data && data.events.length > 0 ? (
        <div class="event-grid">
          {data.events.map((event) => (
            <EventCard key={event.id} event={event} />
          ))}
        </div>
      ) : null}
    </>
  );
}
