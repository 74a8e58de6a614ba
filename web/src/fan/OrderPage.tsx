// An order after payment (or later, from My tickets): its tickets with their QR codes.

import { ApiError } from '../api/errors';
import { readEvent, readOrder } from '../api/endpoints';
import { useSession } from '../app/session';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { withNext } from '../lib/safeNext';
import { ErrorAlert, Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';
import { TicketCard } from './TicketCard';

export function OrderPage({ orderId }: { orderId: string }) {
  const session = useSession();
  const { data, error } = useAsync(
    async (signal) => {
      const { order } = await readOrder(orderId, signal);
      // The event's name and date make the page useful at the door; the order works without them.
      const event = await readEvent(order.event_id, signal).then((a) => a.event, () => null);
      return { order, event };
    },
    [orderId, session.user?.id],
  );
  if (error) {
    const status = error instanceof ApiError ? error.status : 0;
    return (
      <>
        <PageHeading>Order</PageHeading>
        {status === 401 ? (
          <p>
            This order is in your account: <a href={withNext('/login', `/orders/${encodeURIComponent(orderId)}`)}>go to the log-in page</a>.
          </p>
        ) : status === 404 ? (
          <p>There is no such order in your account.</p>
        ) : (
          <ErrorAlert error={error} />
        )}
      </>
    );
  }
  if (!data) return <Loading label="Loading your order…" />;
  const { order, event } = data;
  return (
    <>
      <PageHeading>{order.status === 'refunded' ? 'Order refunded' : 'Order confirmed'}</PageHeading>
      <div class="order-summary">
        {event ? (
          <p class="order-summary__event">
            <a href={`/events/${encodeURIComponent(event.id)}`}>{event.title}</a> ·{' '}
            <time dateTime={event.starts_at}>{formatDateTime(event.starts_at)}</time> · {event.venue.name}
          </p>
        ) : null}
        <p>
          Order <code>{order.id}</code> · {order.tickets.length} {order.tickets.length === 1 ? 'ticket' : 'tickets'} ·
          total <strong>{formatMoney(order.total, order.currency)}</strong>
        </p>
        {order.status === 'refunded' ? (
          <p class="muted">This order was refunded; its tickets are void.</p>
        ) : (
          <p class="muted">Show a QR code at the door, or give the ticket code if it will not scan.</p>
        )}
      </div>
      <h2 class="section-title">Tickets</h2>
      <ul class="ticket-list">
        {order.tickets.map((ticket) => (
          <TicketCard key={ticket.id} ticket={ticket} />
        ))}
      </ul>
    </>
  );
}
