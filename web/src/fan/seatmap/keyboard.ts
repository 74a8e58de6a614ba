// Moving the keyboard seat cursor: left and right along a row, up and down to the row in
// front or behind at the nearest position. Rows are visited in map order, so Down from a
// section's last row continues in the next section. Standing areas have no seats to visit.

import { positionInRow, SEAT_PITCH, type SeatLayout } from './layout';

export type Direction = 'left' | 'right' | 'up' | 'down';

export function firstSeat(layout: SeatLayout): number {
  return layout.rows[0]?.seats[0] ?? -1;
}

export function moveCursor(layout: SeatLayout, seatIndex: number, direction: Direction): number {
  const r = layout.row[seatIndex] ?? -1;
  const row = layout.rows[r];
  if (!row) return firstSeat(layout);
  const k = positionInRow(layout, seatIndex);
  if (direction === 'left' || direction === 'right') {
    const next = Math.min(row.seats.length - 1, Math.max(0, k + (direction === 'left' ? -1 : 1)));
    return row.seats[next] ?? seatIndex;
  }
  const target = layout.rows[r + (direction === 'up' ? -1 : 1)];
  if (!target || target.seats.length === 0) return seatIndex;
  const x = layout.x[seatIndex] ?? 0;
  const nearest = Math.round((x - target.x0) / SEAT_PITCH);
  return target.seats[Math.min(target.seats.length - 1, Math.max(0, nearest))] ?? seatIndex;
}
