// World-space layout of a venue's seat map, computed once from GET /events/{id}/seats.
//
// Seats keep their index in that answer everywhere (statuses, deltas, hit tests), and every
// per-seat fact lives in a typed array indexed by it, so a 50,000-seat stadium costs a few
// hundred kilobytes and no per-seat objects beyond the parsed JSON. Sections become blocks
// of evenly spaced rows, so the seat under a point or the seats in view follow by arithmetic
// from the row, never by scanning seats.

import type { Seat } from '../../api/types';

/** World units between neighbouring seat centres in a row, and between rows. */
export const SEAT_PITCH = 10;
export const ROW_PITCH = 10;
/** Drawn seat size in world units (the rest of the pitch is the gap between seats). */
export const SEAT_SIZE = 8;

const BLOCK_PADDING = 8;
/** World units above a section's rows where its name is written. */
export const LABEL_HEIGHT = 16;
const ROW_LABEL_WIDTH = 14;
const BLOCK_GAP = 18;
const STAGE_HEIGHT = 26;
const STAGE_GAP = 26;

export interface RowLayout {
  block: number;
  label: string;
  /** Centre y of the row's seats. */
  y: number;
  /** Centre x of the row's first seat; seat k is at x0 + k * SEAT_PITCH. */
  x0: number;
  /** Seat indices in seat-number order. */
  seats: Int32Array;
}

export interface BlockLayout {
  kind: 'section' | 'area';
  name: string;
  /** The category of the block's first seat, used for its colour when drawn as a whole. */
  category: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Top y of the first row band (sections). */
  rowsTop: number;
  /** Indices into SeatLayout.rows: [rowStart, rowEnd). Empty for areas. */
  rowStart: number;
  rowEnd: number;
  /** Every seat (or general-admission place) of the block. */
  seats: Int32Array;
}

export interface SeatLayout {
  count: number;
  seats: readonly Seat[];
  indexOf: ReadonlyMap<string, number>;
  categories: string[];
  /** Per seat: centre (GA places: their area's centre), block, row (-1 for GA), category. */
  x: Float32Array;
  y: Float32Array;
  block: Uint32Array;
  row: Int32Array;
  category: Uint8Array;
  blocks: BlockLayout[];
  rows: RowLayout[];
  stage: { x: number; y: number; w: number; h: number };
  width: number;
  height: number;
}

interface BlockDraft {
  kind: 'section' | 'area';
  name: string;
  seats: number[];
  rows: Map<string, number[]>;
}

function groupIntoBlocks(seats: readonly Seat[]): BlockDraft[] {
  const byKey = new Map<string, BlockDraft>();
  const order: BlockDraft[] = [];
  seats.forEach((seat, index) => {
    const isArea = seat.area !== undefined && seat.section === undefined;
    const name = isArea ? (seat.area as string) : (seat.section ?? '');
    const key = `${isArea ? 'a' : 's'}:${name}`;
    let draft = byKey.get(key);
    if (!draft) {
      draft = { kind: isArea ? 'area' : 'section', name, seats: [], rows: new Map() };
      byKey.set(key, draft);
      order.push(draft);
    }
    draft.seats.push(index);
    if (!isArea) {
      const label = seat.row ?? '';
      const row = draft.rows.get(label);
      if (row) row.push(index);
      else draft.rows.set(label, [index]);
    }
  });
  // Standing areas are usually the floor in front of the stage, so they come first.
  return [...order.filter((b) => b.kind === 'area'), ...order.filter((b) => b.kind === 'section')];
}

function sizeOf(draft: BlockDraft): { w: number; h: number } {
  if (draft.kind === 'area') {
    // An area's size grows with its capacity like seats would, but it stays a wide box.
    const side = Math.sqrt(draft.seats.length) * SEAT_PITCH * 0.9;
    return { w: Math.max(120, side * 1.6), h: Math.max(56, side * 0.7) };
  }
  let widest = 0;
  for (const row of draft.rows.values()) widest = Math.max(widest, row.length);
  return {
    w: widest * SEAT_PITCH + 2 * BLOCK_PADDING + ROW_LABEL_WIDTH * 2,
    h: draft.rows.size * ROW_PITCH + 2 * BLOCK_PADDING + LABEL_HEIGHT,
  };
}

/**
 * Shelf packing: blocks in order, left to right, a new shelf when the next one would pass
 * the target width, each shelf centred. The target keeps the map roughly 3:2 whatever the
 * number of sections, so a stadium fits a screen as well as a small hall.
 */
function arrange(sizes: Array<{ w: number; h: number }>): { positions: Array<{ x: number; y: number }>; width: number; height: number } {
  const area = sizes.reduce((sum, s) => sum + (s.w + BLOCK_GAP) * (s.h + BLOCK_GAP), 0);
  const widest = sizes.reduce((max, s) => Math.max(max, s.w), 0);
  const target = Math.max(widest, Math.sqrt(area * 1.5));
  const shelves: number[][] = [];
  let shelf: number[] = [];
  let shelfWidth = 0;
  sizes.forEach((size, i) => {
    const added = (shelf.length ? BLOCK_GAP : 0) + size.w;
    if (shelf.length && shelfWidth + added > target) {
      shelves.push(shelf);
      shelf = [];
      shelfWidth = 0;
    }
    shelf.push(i);
    shelfWidth += (shelf.length > 1 ? BLOCK_GAP : 0) + size.w;
  });
  if (shelf.length) shelves.push(shelf);

  const shelfWidths = shelves.map((s) => s.reduce((sum, i) => sum + (sizes[i] as { w: number }).w, 0) + BLOCK_GAP * (s.length - 1));
  const width = Math.max(target, ...shelfWidths, 1);
  const positions: Array<{ x: number; y: number }> = new Array(sizes.length);
  let y = STAGE_HEIGHT + STAGE_GAP;
  shelves.forEach((members, s) => {
    let x = (width - (shelfWidths[s] as number)) / 2;
    let tallest = 0;
    for (const i of members) {
      const size = sizes[i] as { w: number; h: number };
      positions[i] = { x, y };
      x += size.w + BLOCK_GAP;
      tallest = Math.max(tallest, size.h);
    }
    y += tallest + BLOCK_GAP;
  });
  return { positions, width, height: Math.max(y - BLOCK_GAP, STAGE_HEIGHT) };
}

export function buildLayout(seats: readonly Seat[]): SeatLayout {
  const count = seats.length;
  const indexOf = new Map<string, number>();
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const category = new Uint8Array(count);
  seats.forEach((seat, i) => {
    indexOf.set(seat.id, i);
    let c = categoryIndex.get(seat.category);
    if (c === undefined) {
      // More than 255 categories would not fit a byte; no real venue comes close.
      c = Math.min(categories.length, 255);
      categoryIndex.set(seat.category, c);
      categories.push(seat.category);
    }
    category[i] = c;
  });

  const drafts = groupIntoBlocks(seats);
  const sizes = drafts.map(sizeOf);
  const { positions, width, height } = arrange(sizes);

  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const block = new Uint32Array(count);
  const row = new Int32Array(count).fill(-1);
  const blocks: BlockLayout[] = [];
  const rows: RowLayout[] = [];

  drafts.forEach((draft, b) => {
    const { w, h } = sizes[b] as { w: number; h: number };
    const { x: bx, y: by } = positions[b] as { x: number; y: number };
    const first = draft.seats[0] ?? 0;
    const layoutBlock: BlockLayout = {
      kind: draft.kind,
      name: draft.name,
      category: category[first] ?? 0,
      x: bx,
      y: by,
      w,
      h,
      rowsTop: by + LABEL_HEIGHT + BLOCK_PADDING,
      rowStart: rows.length,
      rowEnd: rows.length,
      seats: Int32Array.from(draft.seats),
    };
    if (draft.kind === 'area') {
      for (const i of draft.seats) {
        x[i] = bx + w / 2;
        y[i] = by + h / 2;
        block[i] = b;
      }
    } else {
      let r = 0;
      for (const [label, members] of draft.rows) {
        members.sort((a, c) => (seats[a]?.number ?? 0) - (seats[c]?.number ?? 0));
        const rowY = layoutBlock.rowsTop + r * ROW_PITCH + ROW_PITCH / 2;
        const x0 = bx + (w - members.length * SEAT_PITCH) / 2 + SEAT_PITCH / 2;
        const rowIndex = rows.length;
        members.forEach((seatIndex, k) => {
          x[seatIndex] = x0 + k * SEAT_PITCH;
          y[seatIndex] = rowY;
          block[seatIndex] = b;
          row[seatIndex] = rowIndex;
        });
        rows.push({ block: b, label, y: rowY, x0, seats: Int32Array.from(members) });
        r += 1;
      }
      layoutBlock.rowEnd = rows.length;
    }
    blocks.push(layoutBlock);
  });

  const stageWidth = Math.max(120, width * 0.45);
  return {
    count,
    seats,
    indexOf,
    categories,
    x,
    y,
    block,
    row,
    category,
    blocks,
    rows,
    stage: { x: (width - stageWidth) / 2, y: 0, w: stageWidth, h: STAGE_HEIGHT },
    width,
    height,
  };
}

/** Position of a seat within its row (0-based), found from its x so no lookup table is needed. */
export function positionInRow(layout: SeatLayout, seatIndex: number): number {
  const r = layout.row[seatIndex] ?? -1;
  const row = layout.rows[r];
  if (!row) return -1;
  return Math.round(((layout.x[seatIndex] ?? 0) - row.x0) / SEAT_PITCH);
}
