// New event: a venue, a title and time, one price per category of that venue, and the
// sale's rules (tickets per order, hold time).

import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { createEvent, listVenues } from '../api/endpoints';
import type { EventDraft } from '../api/types';
import { navigate, useLocation } from '../app/router';
import { localInputToUtc } from '../lib/dates';
import { parseMajorAmount } from '../lib/money';
import { Alert, ErrorAlert, Loading } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { Field, SelectField } from '../ui/Field';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';

interface Form {
  venueId: string;
  title: string;
  artist: string;
  startsAt: string;
  saleStartsAt: string;
  currency: string;
  prices: Record<string, string>;
  maxTickets: string;
  holdSeconds: string;
}

function intInRange(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** Turns the form into the API body, or field errors keyed like the API's `field`. */
function toDraft(form: Form, categories: string[]): { draft?: EventDraft; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const currency = form.currency.trim().toUpperCase();
  if (!form.venueId) errors.venue_id = 'Choose a venue.';
  if (!form.title.trim()) errors.title = 'Give the event a title.';
  const startsAt = localInputToUtc(form.startsAt);
  if (!startsAt) errors.starts_at = 'Give the date and time the event starts.';
  const saleStartsAt = form.saleStartsAt ? localInputToUtc(form.saleStartsAt) : null;
  if (form.saleStartsAt && !saleStartsAt) errors.sale_starts_at = 'Give a valid date and time, or leave it empty.';
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Use a three-letter currency code such as EUR.';
  const prices: Record<string, number> = {};
  for (const category of categories) {
    const amount = /^[A-Z]{3}$/.test(currency) ? parseMajorAmount(form.prices[category] ?? '', currency) : null;
    if (amount === null) errors[`prices.${category}`] = 'Give a price such as 45.00.';
    else prices[category] = amount;
  }
  const maxTickets = intInRange(form.maxTickets, 1, 50);
  if (maxTickets === null) errors.max_tickets_per_order = '1 to 50 tickets.';
  const holdSeconds = intInRange(form.holdSeconds, 1, 3600);
  if (holdSeconds === null) errors.hold_seconds = '1 to 3600 seconds.';
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    draft: {
      venue_id: form.venueId,
      title: form.title.trim(),
      artist: form.artist.trim(),
      starts_at: startsAt as string,
      ...(saleStartsAt ? { sale_starts_at: saleStartsAt } : {}),
      currency,
      prices,
      max_tickets_per_order: maxTickets as number,
      hold_seconds: holdSeconds as number,
    },
  };
}

export function EventCreate() {
  const { query } = useLocation();
  const venues = useAsync((signal) => listVenues(signal), []);
  const [form, setForm] = useState<Form>({
    venueId: query.get('venue') ?? '',
    title: '',
    artist: '',
    startsAt: '',
    saleStartsAt: '',
    currency: 'EUR',
    prices: {},
    maxTickets: '8',
    holdSeconds: '600',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  const venueList = venues.data?.venues ?? [];
  const venue = venueList.find((v) => v.id === form.venueId);
  const categories = venue?.categories ?? [];

  // A ?venue= that names no venue would leave the select showing one thing and sending another.
  useEffect(() => {
    if (venues.data && form.venueId && !venue) setForm((f) => ({ ...f, venueId: '' }));
  }, [venues.data, form.venueId, venue]);

  const set = (change: Partial<Form>) => setForm((f) => ({ ...f, ...change }));

  async function submit(): Promise<void> {
    const { draft, errors: found } = toDraft(form, categories);
    setErrors(found);
    if (!draft) {
      setFailure('Some fields need attention.');
      return;
    }
    setFailure(null);
    setWorking(true);
    busy.clear();
    try {
      const { event } = await createEvent(draft);
      navigate(`/admin/events/${encodeURIComponent(event.id)}`);
    } catch (error) {
      if (busy.offerRetry(error, () => void submit())) return;
      if (error instanceof ApiError && error.field) {
        setErrors({ [error.field]: error.message });
        setFailure(`${error.message} (${error.field})`);
      } else {
        setFailure(describeError(error));
      }
    } finally {
      setWorking(false);
    }
  }

  if (venues.error) {
    return (
      <>
        <PageHeading>New event</PageHeading>
        <ErrorAlert error={venues.error} />
      </>
    );
  }
  if (!venues.data) return <Loading label="Loading venues…" />;
  return (
    <>
      <PageHeading>New event</PageHeading>
      {venueList.length === 0 ? (
        <p>
          There are no venues yet. <a href="/admin/venues/new">Build a venue</a> first.
        </p>
      ) : null}
      <form
        class="stack-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <SelectField label="Venue" value={form.venueId} error={errors.venue_id} onChange={(e) => set({ venueId: e.currentTarget.value })}>
          <option value="">Choose a venue…</option>
          {venueList.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </SelectField>
        <Field label="Title" value={form.title} error={errors.title} onInput={(e) => set({ title: e.currentTarget.value })} />
        <Field label="Artist" value={form.artist} error={errors.artist} onInput={(e) => set({ artist: e.currentTarget.value })} />
        <div class="grid-fields">
          <Field
            label="Starts at"
            type="datetime-local"
            value={form.startsAt}
            error={errors.starts_at}
            onInput={(e) => set({ startsAt: e.currentTarget.value })}
          />
          <Field
            label="Sale starts at"
            type="datetime-local"
            hint="Optional; empty means now."
            value={form.saleStartsAt}
            error={errors.sale_starts_at}
            onInput={(e) => set({ saleStartsAt: e.currentTarget.value })}
          />
        </div>
        <Field
          label="Currency"
          value={form.currency}
          maxLength={3}
          autoCapitalize="characters"
          error={errors.currency}
          onInput={(e) => set({ currency: e.currentTarget.value })}
        />
        <fieldset class="item-fieldset">
          <legend>Prices</legend>
          {categories.length === 0 ? <p class="muted">Choose a venue to set a price for each of its categories.</p> : null}
          <div class="grid-fields">
            {categories.map((category) => (
              <Field
                key={category}
                label={`Price for ${category}`}
                inputMode="decimal"
                placeholder="45.00"
                value={form.prices[category] ?? ''}
                error={errors[`prices.${category}`] ?? (errors.prices && !form.prices[category] ? errors.prices : undefined)}
                onInput={(e) => set({ prices: { ...form.prices, [category]: e.currentTarget.value } })}
              />
            ))}
          </div>
        </fieldset>
        <div class="grid-fields">
          <Field
            label="Max tickets per order"
            type="number"
            inputMode="numeric"
            min={1}
            value={form.maxTickets}
            error={errors.max_tickets_per_order}
            onInput={(e) => set({ maxTickets: e.currentTarget.value })}
          />
          <Field
            label="Hold time (seconds)"
            type="number"
            inputMode="numeric"
            min={1}
            value={form.holdSeconds}
            error={errors.hold_seconds}
            onInput={(e) => set({ holdSeconds: e.currentTarget.value })}
          />
        </div>
        {failure ? <Alert>{failure}</Alert> : null}
        <BusyRetry state={busy} disabled={working} />
        <button type="submit" class="button button--primary" disabled={working}>
          Create event
        </button>
      </form>
    </>
  );
}
