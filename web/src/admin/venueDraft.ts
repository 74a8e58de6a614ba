// The venue builder's form state and its translation into the API's venue shape. Rows are
// labelled A, B, … Z, AA, AB, … like spreadsheet columns, which is how halls label them.

import type { VenueDraft } from '../api/types';

export interface SectionForm {
  key: number;
  name: string;
  category: string;
  rows: string;
  seatsPerRow: string;
}

export interface AreaForm {
  key: number;
  name: string;
  category: string;
  capacity: string;
}

/** Limits that keep one form from describing a venue no screen could show. */
export const ROWS_MAX = 200;
export const SEATS_PER_ROW_MAX = 500;
export const AREA_CAPACITY_MAX = 10000;

export function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

function wholeNumber(text: string, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= 1 && n <= max ? n : null;
}

export function sectionIsBlank(s: SectionForm): boolean {
  return !s.name.trim() && !s.category.trim() && !s.rows.trim() && !s.seatsPerRow.trim();
}

export function areaIsBlank(a: AreaForm): boolean {
  return !a.name.trim() && !a.category.trim() && !a.capacity.trim();
}

export function sectionCapacity(s: SectionForm): number {
  return (wholeNumber(s.rows, ROWS_MAX) ?? 0) * (wholeNumber(s.seatsPerRow, SEATS_PER_ROW_MAX) ?? 0);
}

export function totalCapacity(sections: SectionForm[], areas: AreaForm[]): number {
  return (
    sections.reduce((sum, s) => sum + sectionCapacity(s), 0) +
    areas.reduce((sum, a) => sum + (wholeNumber(a.capacity, AREA_CAPACITY_MAX) ?? 0), 0)
  );
}

/** Field errors keyed "name", "section.N.field" or "area.N.field"; empty when the draft is sendable. */
export function validateVenue(name: string, sections: SectionForm[], areas: AreaForm[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!name.trim()) errors.name = 'Give the venue a name.';
  sections.forEach((s, i) => {
    if (sectionIsBlank(s)) return;
    if (!s.name.trim()) errors[`section.${i}.name`] = 'Name the section.';
    if (!s.category.trim()) errors[`section.${i}.category`] = 'Give a price category, e.g. stalls.';
    if (wholeNumber(s.rows, ROWS_MAX) === null) errors[`section.${i}.rows`] = `1 to ${ROWS_MAX} rows.`;
    if (wholeNumber(s.seatsPerRow, SEATS_PER_ROW_MAX) === null) errors[`section.${i}.seatsPerRow`] = `1 to ${SEATS_PER_ROW_MAX} seats.`;
  });
  areas.forEach((a, i) => {
    if (areaIsBlank(a)) return;
    if (!a.name.trim()) errors[`area.${i}.name`] = 'Name the area.';
    if (!a.category.trim()) errors[`area.${i}.category`] = 'Give a price category, e.g. standing.';
    if (wholeNumber(a.capacity, AREA_CAPACITY_MAX) === null) errors[`area.${i}.capacity`] = `1 to ${AREA_CAPACITY_MAX} places.`;
  });
  if (Object.keys(errors).length === 0 && totalCapacity(sections, areas) === 0) {
    errors.name = 'Add at least one section or standing area.';
  }
  return errors;
}

/** Blank items (an untouched "Add section") are left out rather than refused. */
export function toVenueDraft(name: string, sections: SectionForm[], areas: AreaForm[]): VenueDraft {
  return {
    name: name.trim(),
    sections: sections
      .filter((s) => !sectionIsBlank(s))
      .map((s) => ({
        name: s.name.trim(),
        category: s.category.trim(),
        rows: Array.from({ length: Number(s.rows) }, (_, r) => ({ label: rowLabel(r), seats: Number(s.seatsPerRow) })),
      })),
    areas: areas
      .filter((a) => !areaIsBlank(a))
      .map((a) => ({ name: a.name.trim(), category: a.category.trim(), capacity: Number(a.capacity) })),
  };
}
