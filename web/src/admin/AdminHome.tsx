// The organizer's start page: every event with its status, and the admin tools.

import { listAllEvents } from '../api/endpoints';
import { formatDateTime } from '../lib/dates';
import { ErrorAlert, Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';

export function AdminHome() {
  const { data, error } = useAsync((signal) => listAllEvents(signal), []);
  return (
    <>
      <PageHeading>Admin</PageHeading>
      <ul class="tool-links">
        <li>
          <a class="button" href="/admin/venues/new">
            New venue
          </a>
        </li>
        <li>
          <a class="button" href="/admin/events/new">
            New event
          </a>
        </li>
        <li>
          <a class="button" href="/admin/orders">
            Order lookup
          </a>
        </li>
      </ul>
      <h2 class="section-title">Events</h2>
      {error ? <ErrorAlert error={error} /> : null}
      {!data && !error ? <Loading label="Loading events…" /> : null}
      {data && data.events.length === 0 ? <p class="empty">No events yet. Create a venue, then an event.</p> : null}
      {data && data.events.length > 0 ? (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">All events, soonest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Date</th>
                <th scope="col">Venue</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Available
                </th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((event) => (
                <tr key={event.id}>
                  <th scope="row">
                    <a href={`/admin/events/${encodeURIComponent(event.id)}`}>{event.title}</a>
                  </th>
                  <td>
                    <time dateTime={event.starts_at}>{formatDateTime(event.starts_at)}</time>
                  </td>
                  <td>{event.venue.name}</td>
                  <td>
                    <span class={`badge badge--${event.status}`}>{event.status}</span>
                  </td>
                  <td class="num">
                    {event.available} / {event.capacity}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
