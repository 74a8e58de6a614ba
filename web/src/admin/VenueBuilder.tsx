// Venue builder: sections of rows × seats and standing areas, each with a price category.

import { useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/errors';
import { createVenue } from '../api/endpoints';
import { Alert } from '../ui/Alert';
import { BusyRetry, useBusyRetry } from '../ui/BusyRetry';
import { Field } from '../ui/Field';
import { PageHeading } from '../ui/Heading';
import {
  type AreaForm,
  type SectionForm,
  rowLabel,
  sectionCapacity,
  toVenueDraft,
  totalCapacity,
  validateVenue,
} from './venueDraft';

export function VenueBuilder() {
  const nextKey = useRef(1);
  const newSection = (): SectionForm => ({ key: nextKey.current++, name: '', category: '', rows: '', seatsPerRow: '' });
  const newArea = (): AreaForm => ({ key: nextKey.current++, name: '', category: '', capacity: '' });

  const [name, setName] = useState('');
  const [sections, setSections] = useState<SectionForm[]>(() => [newSection()]);
  const [areas, setAreas] = useState<AreaForm[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string; capacity: number } | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useBusyRetry();

  const updateSection = (i: number, change: Partial<SectionForm>) =>
    setSections((all) => all.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const updateArea = (i: number, change: Partial<AreaForm>) =>
    setAreas((all) => all.map((a, j) => (j === i ? { ...a, ...change } : a)));

  async function submit(): Promise<void> {
    const found = validateVenue(name, sections, areas);
    setErrors(found);
    setFailure(Object.keys(found).length ? 'Some fields need attention.' : null);
    if (Object.keys(found).length) return;
    setWorking(true);
    busy.clear();
    try {
      const { venue } = await createVenue(toVenueDraft(name, sections, areas));
      setCreated(venue);
    } catch (error) {
      if (busy.offerRetry(error, () => void submit())) return;
      setFailure(error instanceof ApiError && error.field ? `${error.message} (${error.field})` : describeError(error));
    } finally {
      setWorking(false);
    }
  }

  if (created) {
    return (
      <>
        <PageHeading>New venue</PageHeading>
        <div class="panel panel--success" role="status">
          <p>
            Venue <strong>{created.name}</strong> created with {created.capacity} places.
          </p>
          <p class="button-row">
            <a class="button button--primary" href={`/admin/events/new?venue=${encodeURIComponent(created.id)}`}>
              Create an event here
            </a>
            <a class="button" href="/admin">
              Back to admin
            </a>
          </p>
        </div>
      </>
    );
  }

  const capacity = totalCapacity(sections, areas);
  return (
    <>
      <PageHeading>New venue</PageHeading>
      <form
        class="stack-form venue-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label="Venue name" value={name} error={errors.name} onInput={(e) => setName(e.currentTarget.value)} />

        <h2 class="section-title">Seated sections</h2>
        {sections.map((section, i) => (
          <fieldset key={section.key} class="item-fieldset">
            <legend>Section {i + 1}</legend>
            <div class="grid-fields">
              <Field
                label="Section name"
                value={section.name}
                error={errors[`section.${i}.name`]}
                onInput={(e) => updateSection(i, { name: e.currentTarget.value })}
              />
              <Field
                label="Category"
                value={section.category}
                placeholder="e.g. stalls"
                error={errors[`section.${i}.category`]}
                onInput={(e) => updateSection(i, { category: e.currentTarget.value })}
              />
              <Field
                label="Rows"
                type="number"
                inputMode="numeric"
                min={1}
                value={section.rows}
                error={errors[`section.${i}.rows`]}
                onInput={(e) => updateSection(i, { rows: e.currentTarget.value })}
              />
              <Field
                label="Seats per row"
                type="number"
                inputMode="numeric"
                min={1}
                value={section.seatsPerRow}
                error={errors[`section.${i}.seatsPerRow`]}
                onInput={(e) => updateSection(i, { seatsPerRow: e.currentTarget.value })}
              />
            </div>
            <p class="muted">
              {sectionCapacity(section) > 0
                ? `Rows ${rowLabel(0)}–${rowLabel(Number(section.rows) - 1)}, ${sectionCapacity(section)} seats.`
                : 'Rows are labelled A, B, C… from the front.'}
            </p>
            <button type="button" class="button button--small button--quiet" onClick={() => setSections((all) => all.filter((_, j) => j !== i))}>
              Remove
            </button>
          </fieldset>
        ))}
        <p>
          <button type="button" class="button" onClick={() => setSections((all) => [...all, newSection()])}>
            Add section
          </button>
        </p>

        <h2 class="section-title">Standing areas</h2>
        {areas.length === 0 ? <p class="muted">No standing areas.</p> : null}
        {areas.map((area, i) => (
          <fieldset key={area.key} class="item-fieldset">
            <legend>Standing area {i + 1}</legend>
            <div class="grid-fields">
              <Field
                label="Area name"
                value={area.name}
                error={errors[`area.${i}.name`]}
                onInput={(e) => updateArea(i, { name: e.currentTarget.value })}
              />
              <Field
                label="Category"
                value={area.category}
                placeholder="e.g. standing"
                error={errors[`area.${i}.category`]}
                onInput={(e) => updateArea(i, { category: e.currentTarget.value })}
              />
              <Field
                label="Capacity"
                type="number"
                inputMode="numeric"
                min={1}
                value={area.capacity}
                error={errors[`area.${i}.capacity`]}
                onInput={(e) => updateArea(i, { capacity: e.currentTarget.value })}
              />
            </div>
            <button type="button" class="button button--small button--quiet" onClick={() => setAreas((all) => all.filter((_, j) => j !== i))}>
              Remove
            </button>
          </fieldset>
        ))}
        <p>
          <button type="button" class="button" onClick={() => setAreas((all) => [...all, newArea()])}>
            Add standing area
          </button>
        </p>

        <p class="capacity-total" aria-live="polite">
          Total capacity: <strong data-testid="venue-capacity">{capacity}</strong>
        </p>
        {failure ? <Alert>{failure}</Alert> : null}
        <BusyRetry state={busy} disabled={working} />
        <button type="submit" class="button button--primary" disabled={working}>
          Create venue
        </button>
      </form>
    </>
  );
}
