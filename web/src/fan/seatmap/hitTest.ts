// Which seat or block is under a world point: blocks are few (a scan is cheap), and inside a
// section the row and the seat follow from arithmetic on the even spacing.

import { ROW_PITCH, SEAT_PITCH, SEAT_SIZE, type SeatLayout } from './layout';

export function blockAt(layout: SeatLayout, wx: number, wy: number): number {
  const { blocks } = layout;
  for (let b = 0; b < blocks.length; b += 1) {
    const block = blocks[b]!;
    if (wx >= block.x && wx <= block.x + block.w && wy >= block.y && wy <= block.y + block.h) return b;
  }
  return -1;
}

/** The numbered seat under a point (with a little slack around its square), else -1. */
export function seatAt(layout: SeatLayout, wx: number, wy: number): number {
  const b = blockAt(layout, wx, wy);
  const block = layout.blocks[b];
  if (!block || block.kind !== 'section') return -1;
  const r = block.rowStart + Math.floor((wy - block.rowsTop) / ROW_PITCH);
  if (r < block.rowStart || r >= block.rowEnd) return -1;
  const row = layout.rows[r]!;
  const k = Math.round((wx - row.x0) / SEAT_PITCH);
  if (k < 0 || k >= row.seats.length) return -1;
  const slack = SEAT_PITCH / 2;
  if (Math.abs(wx - (row.x0 + k * SEAT_PITCH)) > slack || Math.abs(wy - row.y) > Math.max(slack, SEAT_SIZE / 2)) return -1;
  return row.seats[k]!;
}
