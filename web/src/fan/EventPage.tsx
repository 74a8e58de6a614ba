// An event's page: its facts, the live seat map, picking, best available, the hold and the
// test checkout. Seat statuses live in one SeatStatuses object shared with the map; React
// state holds only what the panels show.

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { holdBestAvailable, holdSeats, listSeats, readEvent } from '../api/endpoints';
import type { Answer } from '../api/client';
import type { AvailabilityCounts, BoxEvent, Hold, Seat } from '../api/types';
import { navigate } from '../app/router';
import { sessionExpired, useSession } from '../app/session';
import { serverSkewMs } from '../lib/countdown';
import { formatMoney } from '../lib/money';
import { withNext } from '../lib/safeNext';
import { Alert, ErrorAlert, Loading } from '../ui/Alert';
import { PageHeading } from '../ui/Heading';
import { useAsync } from '../ui/useAsync';
import { BestAvailable } from './BestAvailable';
import { EventFacts } from './EventFacts';
import { canBuy } from './eventText';
import { HoldPanel } from './HoldPanel';
import { buildLayout } from './seatmap/layout';
import { Legend } from './seatmap/Legend';
import { SeatMap } from './seatmap/SeatMap';
import { AVAILABLE, HELD, SeatStatuses, wordOf } from './seatmap/status';
import { seatCursorText, seatLabel, listSeats as joinSeats } from './seatText';
import { SelectionPanel } from './SelectionPanel';
import { loadSelection, saveSelection } from './selectionStore';
import { useAvailability } from './useAvailability';

interface Message {
  tone: 'error' | 'warning' | 'success';
  text: string;
}

export function EventPage({ eventId }: { eventId: string }) {
  const loaded = useAsync(
    async (signal) => {
      const [{ event }, { seats }] = await Promise.all([readEvent(eventId, signal), listSeats(eventId, signal)]);
      return { event, seats };
    },
    [eventId],
  );
  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <>
        <PageHeading>{missing ? 'Event not found' : 'Event'}</PageHeading>
        {missing ? <p>There is no such event. It may have been removed.</p> : <ErrorAlert error={loaded.error} />}
        <p>
          <a href="/">Back to all events</a>
        </p>
      </>
    );
  }
  if (!loaded.data) return <Loading label="Loading the event…" />;
  // Keyed on the event shown, so picks, hold and map state never carry over to another event.
  return <EventBooking key={loaded.data.event.id} event={loaded.data.event} seats={loaded.data.seats} />;
}

function EventBooking({ event, seats }: { event: BoxEvent; seats: Seat[] }) {
  const session = useSession();
  const layout = useMemo(() => buildLayout(seats), [seats]);
  const statuses = useMemo(() => {
    const s = new SeatStatuses(layout);
    s.fromSeatWords();
    return s;
  }, [layout]);

  const [picked, setPickedState] = useState<number[]>(() =>
    loadSelection(event.id)
      .map((id) => layout.indexOf.get(id) ?? -1)
      .filter((i) => i >= 0 && statuses.statusOf(i) === AVAILABLE && layout.row[i] !== -1)
      .slice(0, event.max_tickets_per_order),
  );
  const pickedRef = useRef(picked);
  const [hold, setHold] = useState<{ hold: Hold; serverAheadMs: number } | null>(null);
  const [alert, setAlert] = useState<Message | null>(null);
  const [notice, setNotice] = useState('');
  const [revision, setRevision] = useState(0);
  const [counts, setCounts] = useState<AvailabilityCounts | null>(null);
  const [working, setWorking] = useState(false);
  // While a hold request is out, our own seats turn "held" in polls; they are not "taken".
  const holdInFlight = useRef(false);
  // The hold request out now, if any; leaving the page cancels it, also while it waits out a
  // "very busy" answer, so no hold is placed for someone who has gone.
  const holdRequest = useRef<AbortController | null>(null);
  useEffect(() => () => holdRequest.current?.abort(), []);

  const setPicked = useCallback(
    (next: number[]) => {
      pickedRef.current = next;
      setPickedState(next);
      saveSelection(
        event.id,
        next.map((i) => layout.seats[i]!.id),
      );
    },
    [event.id, layout],
  );

  const holdSeatIndices = useMemo(
    () => (hold ? hold.hold.seats.map((s) => layout.indexOf.get(s.id) ?? -1).filter((i) => i >= 0) : []),
    [hold, layout],
  );
  const highlighted = useMemo(() => new Set([...picked, ...holdSeatIndices]), [picked, holdSeatIndices]);
  const highlightedRef = useRef(highlighted);
  highlightedRef.current = highlighted;

  useAvailability(event.id, statuses, (changed, nextCounts) => {
    if (nextCounts) setCounts(nextCounts);
    if (changed !== null && changed.length === 0) return;
    setRevision((r) => r + 1);
    if (holdInFlight.current) return;
    const lost = pickedRef.current.filter((i) => statuses.statusOf(i) !== AVAILABLE);
    if (lost.length === 0) return;
    setPicked(pickedRef.current.filter((i) => !lost.includes(i)));
    setAlert({ tone: 'warning', text: takenMessage(lost.map((i) => layout.seats[i]!)) });
  });

  const buyable = canBuy(event);
  const disabledReason = buyable ? null : 'Tickets for this event cannot be bought right now.';
  const maxSeats = event.max_tickets_per_order;

  function toggle(seat: number): void {
    const current = pickedRef.current;
    const label = seatLabel(layout.seats[seat]!);
    if (current.includes(seat)) {
      setPicked(current.filter((i) => i !== seat));
      setNotice(`Removed ${label} from your selection.`);
    } else if (holdSeatIndices.includes(seat)) {
      setNotice(`${label} is already in your hold.`);
    } else if (statuses.statusOf(seat) !== AVAILABLE) {
      setNotice(`${label} is ${wordOf(statuses.statusOf(seat))}; pick another seat.`);
    } else if (current.length >= maxSeats) {
      setNotice(`You can pick up to ${maxSeats} seats per order.`);
    } else {
      setPicked([...current, seat]);
      setNotice(`Added ${label} to your selection.`);
    }
  }

  function goToLogin(): void {
    navigate(withNext('/login', `/events/${encodeURIComponent(event.id)}`));
  }

  function adoptHold(answer: Answer<{ hold: Hold }>): void {
    const next = answer.data.hold;
    for (const seat of next.seats) {
      const index = layout.indexOf.get(seat.id);
      if (index !== undefined) statuses.markLocally(index, HELD);
    }
    setHold({ hold: next, serverAheadMs: serverSkewMs(answer.date, answer.receivedAtMs) });
    setPicked([]);
    setRevision((r) => r + 1);
  }

  async function requestHold(send: (signal: AbortSignal) => Promise<Answer<{ hold: Hold }>>): Promise<void> {
    if (session.known && !session.user) {
      goToLogin();
      return;
    }
    holdRequest.current?.abort();
    const controller = new AbortController();
    holdRequest.current = controller;
    setWorking(true);
    setAlert(null);
    holdInFlight.current = true;
    try {
      const answer = await send(controller.signal);
      if (controller.signal.aborted) return;
      adoptHold(answer);
    } catch (failure) {
      if (controller.signal.aborted) return;
      handleHoldFailure(failure);
    } finally {
      if (holdRequest.current === controller) {
        holdRequest.current = null;
        holdInFlight.current = false;
        if (!controller.signal.aborted) setWorking(false);
      }
    }
  }

  function handleHoldFailure(failure: unknown): void {
    if (!(failure instanceof ApiError)) {
      setAlert({ tone: 'error', text: describeError(failure) });
      return;
    }
    if (failure.status === 401) {
      sessionExpired();
      goToLogin();
      return;
    }
    if (failure.code === 'seats_unavailable') {
      const ids = Array.isArray(failure.details.unavailable) ? (failure.details.unavailable as unknown[]) : [];
      const lost = ids.map((id) => layout.indexOf.get(String(id)) ?? -1).filter((i) => i >= 0);
      for (const i of lost) statuses.markLocally(i, HELD);
      setPicked(pickedRef.current.filter((i) => !lost.includes(i)));
      setRevision((r) => r + 1);
      setAlert({
        tone: 'warning',
        text: lost.length ? takenMessage(lost.map((i) => layout.seats[i]!)) : 'Some of these seats were just taken by someone else.',
      });
    } else if (failure.code === 'sold_out') {
      setAlert({ tone: 'warning', text: 'Sorry, that category is sold out: there are not enough seats left together.' });
    } else if (failure.code === 'sale_not_open') {
      setAlert({ tone: 'error', text: 'This sale is not open right now.' });
    } else if (failure.code === 'too_many_seats') {
      setAlert({ tone: 'error', text: `You can hold up to ${maxSeats} seats per order.` });
    } else {
      setAlert({ tone: 'error', text: describeError(failure) });
    }
  }

  const categories = useMemo(() => {
    const inMap = layout.categories.filter((c) => c in event.prices);
    return inMap.length ? inMap : Object.keys(event.prices);
  }, [layout, event.prices]);
  const priceTexts = useMemo(
    () => Object.fromEntries(Object.entries(event.prices).map(([c, a]) => [c, formatMoney(a, event.currency)])),
    [event],
  );

  return (
    <article class="event-page">
      <PageHeading>{event.title}</PageHeading>
      <EventFacts event={event} counts={counts} />
      {alert ? <Alert tone={alert.tone}>{alert.text}</Alert> : null}
      <div class="booking">
        <div class="booking__map">
          <h2 class="section-title">Seat map</h2>
          <SeatMap
            layout={layout}
            statuses={statuses}
            highlighted={highlighted}
            revision={revision}
            onToggle={toggle}
            onArea={(block) => {
              const area = layout.blocks[block]!;
              setNotice(
                `${area.name} is a standing area: choose ${layout.categories[area.category]} under Best available with the number of places.`,
              );
            }}
            describeSeat={(seat) =>
              seatCursorText(layout.seats[seat]!, wordOf(statuses.statusOf(seat)), highlightedRef.current.has(seat))
            }
          />
          <Legend categories={layout.categories} prices={priceTexts} />
        </div>
        <div class="booking__side">
          <p role="status" class="notice">
            {notice}
          </p>
          {hold ? (
            <HoldPanel
              key={hold.hold.id}
              hold={hold.hold}
              serverAheadMs={hold.serverAheadMs}
              onPaid={(order) => navigate(`/orders/${encodeURIComponent(order.id)}`)}
              onReleased={() => {
                for (const i of holdSeatIndices) statuses.markLocally(i, AVAILABLE);
                setHold(null);
                setRevision((r) => r + 1);
                setNotice('Your seats were released.');
              }}
              onExpired={() => {
                setHold(null);
                setAlert({ tone: 'warning', text: 'Your hold expired. Pick your seats again if they are still free.' });
              }}
            />
          ) : null}
          <SelectionPanel
            seats={picked.map((i) => layout.seats[i]!)}
            prices={event.prices}
            currency={event.currency}
            maxSeats={maxSeats}
            disabledReason={disabledReason}
            working={working}
            onRemove={(seatId) => {
              const index = layout.indexOf.get(seatId);
              setPicked(pickedRef.current.filter((i) => i !== index));
            }}
            onHold={() => {
              const ids = pickedRef.current.map((i) => layout.seats[i]!.id);
              void requestHold((signal) => holdSeats(event.id, ids, signal));
            }}
          />
          <BestAvailable
            categories={categories}
            maxSeats={maxSeats}
            disabled={!buyable}
            working={working}
            onFind={(category, quantity) => void requestHold((signal) => holdBestAvailable(event.id, category, quantity, signal))}
          />
        </div>
      </div>
    </article>
  );
}

function takenMessage(seats: Seat[]): string {
  const verb = seats.length === 1 ? 'was' : 'were';
  return `Sorry, ${joinSeats(seats)} ${verb} just taken by someone else. The rest of your selection is kept.`;
}
