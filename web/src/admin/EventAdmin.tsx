// One event for its organizer: open, pause or cancel the sale, set the poster, watch sales.

import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { listAllEvents, readEvent, setEventStatus } from '../api/endpoints';
import type { BoxEvent } from '../api/types';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { Alert, ErrorAlert, Loading } from '../ui/Alert';
import { ConfirmButton } from '../ui/ConfirmButton';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';
import { PosterUpload } from './PosterUpload';
import { SalesDashboard } from './SalesDashboard';

async function loadEvent(eventId: string, signal: AbortSignal): Promise<BoxEvent> {
  try {
    return (await readEvent(eventId, signal)).event;
  } catch (error) {
    // The public read may leave out events fans cannot see; the admin list has them all.
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const found = (await listAllEvents(signal)).events.find((e) => e.id === eventId);
    if (!found) throw error;
    return found;
  }
}

export function EventAdmin({ eventId }: { eventId: string }) {
  const loaded = useAsync((signal) => loadEvent(eventId, signal), [eventId]);
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  if (loaded.error) {
    return (
      <>
        <PageHeading>Event</PageHeading>
        <ErrorAlert error={loaded.error} />
      </>
    );
  }
  const event = loaded.data;
  if (!event) return <Loading label="Loading the event…" />;

  async function changeStatus(status: 'on_sale' | 'paused' | 'cancelled'): Promise<void> {
    setWorking(true);
    setFailure(null);
    busy.clear();
    try {
      loaded.setData((await setEventStatus(eventId, status)).event);
    } catch (error) {
      if (busy.offerRetry(error, () => void changeStatus(status))) return;
      setFailure(
        error instanceof ApiError && error.code === 'invalid_status_change'
          ? `The sale cannot change from ${event?.status} to ${status}.`
          : describeError(error),
      );
    } finally {
      setWorking(false);
    }
  }

  const cancelled = event.status === 'cancelled';
  return (
    <>
      <p class="breadcrumb">
        <a href="/admin">Admin</a> ›
      </p>
      <PageHeading>{event.title}</PageHeading>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge--${event.status}`} data-testid="event-status">
              {event.status}
            </span>
          </dd>
        </div>
        <div>
          <dt>Date</dt>
          <dd>{formatDateTime(event.starts_at)}</dd>
        </div>
        <div>
          <dt>Venue</dt>
          <dd>{event.venue.name}</dd>
        </div>
        <div>
          <dt>Sale starts</dt>
          <dd>{formatDateTime(event.sale_starts_at)}</dd>
        </div>
        <div>
          <dt>Prices</dt>
          <dd>
            {Object.entries(event.prices)
              .map(([c, a]) => `${c} ${formatMoney(a, event.currency)}`)
              .join(' · ')}
          </dd>
        </div>
        <div>
          <dt>Rules</dt>
          <dd>
            up to {event.max_tickets_per_order} per order, held {event.hold_seconds} s
          </dd>
        </div>
      </dl>
      <section class="panel" aria-labelledby="sale-heading">
        <h2 id="sale-heading">Sale</h2>
        <div class="button-row">
          <button
            type="button"
            class="button button--primary"
            disabled={working || cancelled || event.status === 'on_sale' || event.status === 'sold_out'}
            onClick={() => void changeStatus('on_sale')}
          >
            Open sale
          </button>
          <button
            type="button"
            class="button"
            disabled={working || event.status !== 'on_sale'}
            onClick={() => void changeStatus('paused')}
          >
            Pause sale
          </button>
          <ConfirmButton
            label="Cancel event"
            confirmLabel="Yes, cancel event"
            question="Cancel this event for good? Fans can no longer buy tickets."
            disabled={working || cancelled}
            onConfirm={() => changeStatus('cancelled')}
          />
        </div>
        {failure ? <Alert>{failure}</Alert> : null}
        <BusyRetry state={busy} disabled={working} />
        <p class="muted">
          <a href={`/events/${encodeURIComponent(event.id)}`}>See the fan page</a>
        </p>
      </section>
      <SalesDashboard eventId={event.id} />
      <PosterUpload event={event} onUploaded={(next) => loaded.setData(next)} />
    </>
  );
}
