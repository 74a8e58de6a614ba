// How seats are written for people: in lists, in button names and in the map's live region.

import type { Seat } from '../api/types';

/** "Section A" for a section named "A", but not "Section Section A". */
function sectionName(name: string): string {
  return /^section\b/i.test(name) ? name : `Section ${name}`;
}

export function isStanding(seat: Seat): boolean {
  return seat.area !== undefined && seat.section === undefined;
}

/** "Section A · Row 1 · Seat 5", or "Standing · Floor" for a general-admission place. */
export function seatLabel(seat: Seat): string {
  if (isStanding(seat)) return `Standing · ${seat.area}`;
  return `${sectionName(seat.section ?? '')} · Row ${seat.row ?? ''} · Seat ${seat.number ?? ''}`;
}

/** The same in words a screen reader reads naturally, for button names. */
export function seatSpoken(seat: Seat): string {
  if (isStanding(seat)) return `standing place in ${seat.area}`;
  return `${sectionName(seat.section ?? '')} row ${seat.row ?? ''} seat ${seat.number ?? ''}`;
}

/** "Section A, row 3, seat 12, stalls, available" for the seat under the keyboard cursor. */
export function seatCursorText(seat: Seat, status: string, picked: boolean): string {
  const place = isStanding(seat)
    ? `Standing area ${seat.area}`
    : `${sectionName(seat.section ?? '')}, row ${seat.row ?? ''}, seat ${seat.number ?? ''}`;
  return `${place}, ${seat.category}, ${status}${picked ? ', your pick' : ''}`;
}

/** "Section A row 1 seat 5, Section A row 1 seat 6 and Section B row 2 seat 1". */
export function listSeats(seats: Seat[]): string {
  const names = seats.map(seatSpoken);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
