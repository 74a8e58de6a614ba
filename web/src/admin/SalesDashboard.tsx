// The live sales figures of one event, re-read every two seconds while the page is open.

import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import { readSales } from '../api/endpoints';
import type { Sales } from '../api/types';
import { formatMoney } from '../lib/money';
import { addSample, ordersPerMinute, type OrderSample } from './salesRate';

const REFRESH_MS = 2000;

export function SalesDashboard({ eventId }: { eventId: string }) {
  const [sales, setSales] = useState<Sales | null>(null);
  const [samples, setSamples] = useState<OrderSample[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      try {
        const next = await readSales(eventId, controller.signal);
        setSales(next);
        setSamples((all) => addSample(all, { atMs: Date.now(), orders: next.orders }));
        setUpdatedAt(new Date());
        setError(null);
      } catch (failure) {
        if (controller.signal.aborted) return;
        setError(describeError(failure));
      }
      if (!controller.signal.aborted) timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [eventId]);

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
          {error} Retrying…
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
