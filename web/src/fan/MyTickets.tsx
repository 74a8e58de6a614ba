// All orders of the signed-in person, newest first, each with its tickets.

import { listEvents, listOrders } from '../api/endpoints';
import type { BoxEvent } from '../api/types';
import { useSession } from '../app/session';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { ErrorAlert, Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';
import { seatLabel } from './seatText';

export function MyTickets() {
  const session = useSession();
  const { data, error } = useAsync(
    async (signal) => {
      if (!session.user) return null;
      const [{ orders }, events] = await Promise.all([
        listOrders(signal),
        // Titles for the orders; past or cancelled events are missing here, which is fine.
        listEvents(signal).then((a) => a.events, () => [] as BoxEvent[]),
      ]);
      return { orders, events: new Map(events.map((e) => [e.id, e])) };
    },
    [session.user?.id],
  );

  if (!session.known) return <Loading />;
  if (!session.user) {
    return (
      <>
        <PageHeading>My tickets</PageHeading>
        <p>
          Your tickets are in your account: <a href="/login?next=/tickets">go to the log-in page</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeading>My tickets</PageHeading>
      {error ? <ErrorAlert error={error} /> : null}
      {!data && !error ? <Loading label="Loading your tickets…" /> : null}
      {data && data.orders.length === 0 ? (
        <p class="empty">
          No tickets yet. <a href="/">Find an event</a>.
        </p>
      ) : null}
      {data ? (
        <ul class="order-list">
          {data.orders.map((order) => {
            const event = data.events.get(order.event_id);
            return (
              <li key={order.id} class="order-card">
                <h2 class="order-card__title">
                  <a href={`/orders/${encodeURIComponent(order.id)}`}>{event ? event.title : `Order ${order.id}`}</a>
                </h2>
                <p class="muted">
                  {event ? (
                    <>
                      <time dateTime={event.starts_at}>{formatDateTime(event.starts_at)}</time> · {event.venue.name} ·{' '}
                    </>
                  ) : null}
                  {order.status === 'refunded' ? 'Refunded' : 'Confirmed'} · {formatMoney(order.total, order.currency)}
                </p>
                <ul class="plain-list">
                  {order.tickets.map((ticket) => (
                    <li key={ticket.id}>
                      {seatLabel(ticket.seat)}
                      {ticket.status !== 'valid' ? ` (${ticket.status === 'void' ? 'void' : 'checked in'})` : ''}
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
