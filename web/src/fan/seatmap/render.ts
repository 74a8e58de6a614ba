// Draws one frame of the seat map. Cost follows what is on screen, not the venue's size:
// blocks outside the view are skipped, zoomed out a section is one shaded rectangle, and
// zoomed in only the rows and the seat range inside the view are visited. Seats of one
// colour are gathered into one Path2D and filled once, which keeps a frame of tens of
// thousands of seats within a few milliseconds.

import { type Camera, seatsVisible, visibleWorld } from './camera';
import { LABEL_HEIGHT, ROW_PITCH, SEAT_PITCH, SEAT_SIZE, type BlockLayout, type SeatLayout } from './layout';
import {
  CURSOR_RING,
  HELD_FILL,
  LABEL_TEXT,
  MAP_BACKGROUND,
  PICK_FILL,
  PICK_RING,
  SECTION_OUTLINE,
  SOLD_FILL,
  STAGE_FILL,
  STAGE_TEXT,
  categoryColour,
} from './palette';
import { AVAILABLE, HELD, type SeatStatuses } from './status';

export interface FrameInput {
  layout: SeatLayout;
  statuses: SeatStatuses;
  camera: Camera;
  /** Canvas size in CSS pixels, and device pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  picked: ReadonlySet<number>;
  cursor: number;
  showCursor: boolean;
}

const FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SMALL_FONT = '500 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function intersects(block: BlockLayout, view: { x: number; y: number; w: number; h: number }): boolean {
  return block.x <= view.x + view.w && block.x + block.w >= view.x && block.y <= view.y + view.h && block.y + block.h >= view.y;
}

function drawShadedBlock(ctx: CanvasRenderingContext2D, block: BlockLayout, fraction: number, lineWidth: number): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(block.x, block.y, block.w, block.h);
  // Full colour when everything is free, a pale tint when nearly nothing is.
  ctx.globalAlpha = fraction > 0 ? 0.18 + 0.82 * fraction : 0;
  ctx.fillStyle = categoryColour(block.category);
  ctx.fillRect(block.x, block.y, block.w, block.h);
  ctx.globalAlpha = 1;
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = fraction > 0 ? categoryColour(block.category) : SECTION_OUTLINE;
  ctx.strokeRect(block.x, block.y, block.w, block.h);
}

export function renderFrame(ctx: CanvasRenderingContext2D, input: FrameInput): void {
  const { layout, statuses, camera, width, height, dpr, picked } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = MAP_BACKGROUND;
  ctx.fillRect(0, 0, width, height);

  const view = visibleWorld(camera, width, height);
  const detailed = seatsVisible(camera);
  const hairline = 1 / camera.scale;
  ctx.setTransform(dpr * camera.scale, 0, 0, dpr * camera.scale, dpr * camera.tx, dpr * camera.ty);

  const { stage } = layout;
  ctx.fillStyle = STAGE_FILL;
  ctx.fillRect(stage.x, stage.y, stage.w, stage.h);

  const categoryCount = layout.categories.length;
  // One path per category (available), then held, then sold.
  const paths: Path2D[] = [];
  for (let i = 0; i < categoryCount + 2; i += 1) paths.push(new Path2D());
  const round = camera.scale * SEAT_SIZE >= 9;
  const full = SEAT_SIZE / 2;
  const taken = SEAT_SIZE * 0.3;
  const visibleBlocks: number[] = [];

  layout.blocks.forEach((block, b) => {
    if (!intersects(block, view)) return;
    visibleBlocks.push(b);
    const counts = statuses.countsOfBlock(b);
    const total = counts.available + counts.held + counts.sold;
    if (block.kind === 'area' || !detailed) {
      drawShadedBlock(ctx, block, total ? counts.available / total : 0, hairline);
      return;
    }
    ctx.lineWidth = hairline;
    ctx.strokeStyle = SECTION_OUTLINE;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(block.x, block.y, block.w, block.h);
    ctx.strokeRect(block.x, block.y, block.w, block.h);

    const firstRow = Math.max(block.rowStart, block.rowStart + Math.floor((view.y - block.rowsTop) / ROW_PITCH));
    const lastRow = Math.min(block.rowEnd - 1, block.rowStart + Math.floor((view.y + view.h - block.rowsTop) / ROW_PITCH));
    for (let r = firstRow; r <= lastRow; r += 1) {
      const row = layout.rows[r]!;
      const k0 = Math.max(0, Math.floor((view.x - row.x0) / SEAT_PITCH) - 1);
      const k1 = Math.min(row.seats.length - 1, Math.ceil((view.x + view.w - row.x0) / SEAT_PITCH) + 1);
      for (let k = k0; k <= k1; k += 1) {
        const seat = row.seats[k]!;
        const status = statuses.codes[seat]!;
        const cx = row.x0 + k * SEAT_PITCH;
        const half = status === AVAILABLE ? full : taken;
        const path = paths[status === AVAILABLE ? layout.category[seat]! : categoryCount + (status === HELD ? 0 : 1)]!;
        if (round) {
          path.moveTo(cx + half, row.y);
          path.arc(cx, row.y, half, 0, Math.PI * 2);
        } else {
          path.rect(cx - half, row.y - half, half * 2, half * 2);
        }
      }
    }
  });

  for (let i = 0; i < paths.length; i += 1) {
    ctx.fillStyle = i < categoryCount ? categoryColour(i) : i === categoryCount ? HELD_FILL : SOLD_FILL;
    ctx.fill(paths[i]!);
  }

  if (detailed) {
    // Picks are few (at most one order's worth); drawn last, larger, with a ring.
    ctx.lineWidth = Math.max(hairline * 2, SEAT_SIZE * 0.18);
    for (const seat of picked) {
      if (layout.row[seat] === -1) continue;
      const x = layout.x[seat]!;
      const y = layout.y[seat]!;
      ctx.beginPath();
      ctx.arc(x, y, SEAT_SIZE * 0.55, 0, Math.PI * 2);
      ctx.fillStyle = PICK_FILL;
      ctx.fill();
      ctx.strokeStyle = PICK_RING;
      ctx.stroke();
    }
    if (input.showCursor && input.cursor >= 0 && layout.row[input.cursor] !== -1) {
      ctx.beginPath();
      ctx.arc(layout.x[input.cursor]!, layout.y[input.cursor]!, SEAT_SIZE * 0.85, 0, Math.PI * 2);
      ctx.lineWidth = Math.max(2 / camera.scale, SEAT_SIZE * 0.15);
      ctx.strokeStyle = CURSOR_RING;
      ctx.stroke();
    }
  }

  drawLabels(ctx, input, visibleBlocks, detailed);
}

/** Text is drawn in screen space so it stays readable at every zoom level. */
function drawLabels(ctx: CanvasRenderingContext2D, input: FrameInput, visibleBlocks: number[], detailed: boolean): void {
  const { layout, statuses, camera, dpr } = input;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  ctx.font = FONT;

  const { stage } = layout;
  const stageWidthPx = stage.w * camera.scale;
  if (stageWidthPx > 50 && stage.h * camera.scale > 12) {
    ctx.fillStyle = STAGE_TEXT;
    ctx.fillText('STAGE', (stage.x + stage.w / 2) * camera.scale + camera.tx, (stage.y + stage.h / 2) * camera.scale + camera.ty);
  }

  for (const b of visibleBlocks) {
    const block = layout.blocks[b]!;
    const widthPx = block.w * camera.scale;
    const left = block.x * camera.scale + camera.tx;
    const top = block.y * camera.scale + camera.ty;
    const heightPx = block.h * camera.scale;
    if (widthPx < 44) continue;
    const free = statuses.countsOfBlock(b).available;
    const shaded = block.kind === 'area' || !detailed;
    if (shaded) {
      if (heightPx < 18) continue;
      const fraction = free / Math.max(1, block.seats.length);
      // Dark text on pale blocks, white text on strongly coloured ones.
      ctx.fillStyle = fraction > 0.45 ? '#ffffff' : LABEL_TEXT;
      const centreY = top + heightPx / 2;
      const twoLines = heightPx >= 36;
      ctx.font = FONT;
      ctx.fillText(block.name, left + widthPx / 2, twoLines ? centreY - 8 : centreY, widthPx - 6);
      if (twoLines) {
        ctx.font = SMALL_FONT;
        ctx.fillText(free === 0 ? 'sold out' : `${free} free`, left + widthPx / 2, centreY + 8, widthPx - 6);
      }
    } else {
      ctx.font = FONT;
      ctx.fillStyle = LABEL_TEXT;
      if (LABEL_HEIGHT * camera.scale >= 11) {
        ctx.fillText(block.name, left + widthPx / 2, top + (LABEL_HEIGHT / 2 + 3) * camera.scale, widthPx - 6);
      }
      if (SEAT_PITCH * camera.scale >= 12) {
        ctx.font = SMALL_FONT;
        for (let r = block.rowStart; r < block.rowEnd; r += 1) {
          const row = layout.rows[r]!;
          const y = row.y * camera.scale + camera.ty;
          if (y < -10 || y > input.height + 10) continue;
          ctx.fillText(row.label, (row.x0 - SEAT_PITCH) * camera.scale + camera.tx, y);
          ctx.fillText(row.label, (row.x0 + row.seats.length * SEAT_PITCH) * camera.scale + camera.tx, y);
        }
      }
    }
  }
}
