// The live sales figures of one event, re-read every two seconds while the page is open and
// visible; after failures less often, and not at all once the server refuses access.

import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { readSales } from '../api/endpoints';
import type { Sales } from '../api/types';
import { formatMoney } from '../lib/money';
import { usePolling } from '../ui/usePolling';
import { addSample, ordersPerMinute, type OrderSample } from './salesRate';

const REFRESH_MS = 2000;
const REFRESH_MAX_MS = 30000;

export function SalesDashboard({ eventId }: { eventId: string }) {
  const [sales, setSales] = useState<Sales | null>(null);
  const [samples, setSamples] = useState<OrderSample[]>([]);
  const [error, setError] = useState<{ text: string; final: boolean } | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  usePolling(
    async (signal) => {
      try {
        const next = await readSales(eventId, signal);
        setSales(next);
        setSamples((all) => addSample(all, { atMs: Date.now(), orders: next.orders }));
        setUpdatedAt(new Date());
        setError(null);
      } catch (failure) {
        if (signal.aborted) throw failure;
        if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403)) {
          setError({
            text:
              failure.status === 401
                ? 'You are no longer signed in. Log in again to see live sales.'
                : 'Your account may not see the sales of this event.',
            final: true,
          });
          return 'stop';
        }
        setError({ text: describeError(failure), final: false });
        throw failure;
      }
      return undefined;
    },
    [eventId],
    { intervalMs: REFRESH_MS, maxIntervalMs: REFRESH_MAX_MS },
  );

  const figure = (label: string, testId: string, value: string) => (
    <div class="stat">
      <dt class="stat__label">{label}</dt>
      <dd class="stat__value" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
  return (
    <section class="panel" aria-labelledby="sales-heading">
      <h2 id="sales-heading">Live sales</h2>
      {error ? (
        <p class="alert alert--warning" role="alert">
          {error.text}
          {error.final ? '' : ' Retrying…'}
        </p>
      ) : null}
      {sales ? (
        <>
          <dl class="stats">
            {figure('Sold', 'sales-sold', String(sales.sold))}
            {figure('Held', 'sales-held', String(sales.held))}
            {figure('Available', 'sales-available', String(sales.available))}
            {figure('Orders', 'sales-orders', String(sales.orders))}
            {figure('Revenue', 'sales-revenue', formatMoney(sales.revenue, sales.currency))}
            {figure('Orders per minute', 'sales-rate', String(ordersPerMinute(samples)))}
          </dl>
          <meter class="sales-meter" min={0} max={Math.max(1, sales.capacity)} value={sales.sold} aria-label="Share of capacity sold">
            {sales.sold} of {sales.capacity} sold
          </meter>
          <p class="muted">
            {sales.sold} of {sales.capacity} sold · updates every 2 s
            {updatedAt ? ` · last ${updatedAt.toLocaleTimeString()}` : ''}
          </p>
        </>
      ) : error ? null : (
        <p class="loading">Loading sales…</p>
      )}
    </section>
  );
}
