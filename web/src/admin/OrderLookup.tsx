// Find an order by its ID or a customer's orders by email, and refund one.

import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { ordersByEmail, readOrder, refundOrder } from '../api/endpoints';
import type { Order } from '../api/types';
import { seatLabel } from '../fan/seatText';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { Alert } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { ConfirmButton } from '../ui/ConfirmButton';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/Heading';

function OrderResult({ order, onRefunded }: { order: Order; onRefunded(order: Order): void }) {
  const [error, setError] = useState<string | null>(null);
  const busy = useBusyRetry();

  async function refund(): Promise<void> {
    setError(null);
    busy.clear();
    try {
      onRefunded((await refundOrder(order.id)).order);
    } catch (failure) {
      if (busy.offerRetry(failure, () => void refund())) return;
      setError(describeError(failure));
    }
  }

  return (
    <article class="order-card" aria-labelledby={`order-${order.id}`}>
      <h2 class="order-card__title" id={`order-${order.id}`}>
        Order <code>{order.id}</code>
      </h2>
      <p>
        Status:{' '}
        <span class={`badge badge--${order.status}`} data-testid="order-status">
          {order.status}
        </span>{' '}
        · Total {formatMoney(order.total, order.currency)} · {formatDateTime(order.created_at)}
      </p>
      <ul class="plain-list">
        {order.tickets.map((ticket) => (
          <li key={ticket.id}>
            {seatLabel(ticket.seat)} · {ticket.status}
          </li>
        ))}
      </ul>
      {order.status === 'confirmed' ? (
        <ConfirmButton
          label="Refund"
          confirmLabel="Confirm refund"
          question={`Refund ${formatMoney(order.total, order.currency)} and void its tickets?`}
          onConfirm={refund}
        />
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <BusyRetry state={busy} />
    </article>
  );
}

export function OrderLookup() {
  const [query, setQuery] = useState('');
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  async function lookUp(): Promise<void> {
    const text = query.trim();
    if (!text) {
      setError('Type an order ID or a customer email.');
      return;
    }
    setWorking(true);
    setError(null);
    try {
      if (text.includes('@')) setOrders((await ordersByEmail(text)).orders);
      else setOrders([(await readOrder(text)).order]);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setOrders([]);
      else setError(describeError(failure));
    } finally {
      setWorking(false);
    }
  }

  return (
    <>
      <PageHeading>Order lookup</PageHeading>
      <form
        class="inline-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void lookUp();
        }}
      >
        <Field label="Order ID or email" value={query} autoComplete="off" spellcheck={false} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit" class="button button--primary" disabled={working}>
          Look up
        </button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      <div role="status" class="visually-hidden">
        {orders === null ? '' : `${orders.length} ${orders.length === 1 ? 'order' : 'orders'} found`}
      </div>
      {orders !== null && orders.length === 0 ? <p class="empty">No orders found.</p> : null}
      {orders?.map((order) => (
        <OrderResult
          key={order.id}
          order={order}
          onRefunded={(next) => setOrders((all) => all?.map((o) => (o.id === next.id ? next : o)) ?? null)}
        />
      ))}
    </>
  );
}
