// A 50,000-seat map (20 sections × 50 rows × 50 seats) renders and pans within a measured
// budget. The numbers are printed (lines starting with "# seatmap-50k") for the docs.
//
// Budgets are generous on purpose (a debug server and a software-rendering headless
// browser on a shared two-core machine): first render under 10 s, median frame while
// panning under 50 ms.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture } from './harness/fixture.js';
import { assertClean, newContext, rafFrames, watch } from './harness/browser.js';

const SECTIONS = 20;
const ROWS = 50;
const SEATS_PER_ROW = 50;
const TOTAL = SECTIONS * ROWS * SEATS_PER_ROW;
const FIRST_RENDER_BUDGET_MS = 10_000;
const MEDIAN_FRAME_BUDGET_MS = 50;

let fx;
let show;

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (x) => Math.round(x * 10) / 10;
  return { frames: sorted.length, median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]) };
}

// Starts recording, in the page, the time between animation frames (measured with
// performance.now() inside each requestAnimationFrame callback, so that a frame delayed by
// drawing counts in full) and the long tasks (over 50 ms) on the main thread.
async function startFrameClock(page) {
  await page.evaluate(() => {
    const clock = { intervals: [], last: null, running: true, longTasks: 0, longestTask: 0 };
    window.__frameClock = clock;
    try {
      clock.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          clock.longTasks += 1;
          clock.longestTask = Math.max(clock.longestTask, entry.duration);
        }
      });
      clock.observer.observe({ type: 'longtask' });
    } catch {
      clock.observer = null;
    }
    const tick = () => {
      const now = performance.now();
      if (clock.last !== null) clock.intervals.push(now - clock.last);
      clock.last = now;
      if (clock.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopFrameClock(page) {
  return page.evaluate(() => {
    const clock = window.__frameClock;
    clock.running = false;
    if (clock.observer) clock.observer.disconnect();
    return { intervals: clock.intervals, longTasks: clock.longTasks, longestTask: Math.round(clock.longestTask) };
  });
}

// Four drags across the canvas, one mouse move per frame, timing the frames; a seat near
// the centre of the view must move and the map must redraw as it goes.
async function measurePan(page, box, what) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const sample = show.seats.filter((_, i) => i % 25 === 0).map((s) => s.id);
  const probe = await page.evaluate(({ ids, x, y }) => {
    let best = null;
    for (const id of ids) {
      const p = window.boxofficeSeatMap.seatCenter(id);
      const d = p ? Math.hypot(p.x - x, p.y - y) : Infinity;
      if (p && (!best || d < best.d)) best = { id, d };
    }
    return best && best.id;
  }, { ids: sample, x: cx, y: cy });
  // Zoomed out, seats may be too small to be told apart (seatCenter() is then null for
  // every seat): the canvas's pixels tell instead whether the view moved.
  const pixels = () => page.getByTestId('seat-map').locator('canvas').evaluate((c) => c.toDataURL());
  const centreBefore = probe ? await page.evaluate((id) => window.boxofficeSeatMap.seatCenter(id), probe) : await pixels();
  const framesBefore = await page.evaluate(() => window.boxofficeSeatMap.frames);
  await startFrameClock(page);
  const started = Date.now();
  const steps = 30;
  // Net movement: 0.4 of the drag length left and 0.3 up.
  for (const [dx, dy] of [[-1, 0], [0.8, -0.5], [-0.5, 0], [0.3, 0.2]]) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let s = 1; s <= steps; s += 1) {
      await page.mouse.move(cx + (dx * box.width * 0.35 * s) / steps, cy + (dy * box.height * 0.35 * s) / steps);
      await rafFrames(page, 1);
    }
    await page.mouse.up();
  }
  const wallMs = Date.now() - started;
  const clock = await stopFrameClock(page);
  const mapFrames = (await page.evaluate(() => window.boxofficeSeatMap.frames)) - framesBefore;
  const centreAfter = probe ? await page.evaluate((id) => window.boxofficeSeatMap.seatCenter(id), probe) : await pixels();
  assert.ok(mapFrames >= 20, `${what}: the map drew only ${mapFrames} frames during ${4 * steps} drag steps`);
  assert.notDeepEqual(centreAfter, centreBefore, `${what}: dragging did not move the view`);
  return { seatsIdentifiable: !!probe, ...stats(clock.intervals), longTasks: clock.longTasks, longestTaskMs: clock.longestTask, mapFrames, wallMs };
}

describe('seat map with 50,000 seats', () => {
  before(async () => {
    fx = await startFixture();
    const t0 = Date.now();
    show = await fx.api.eventOnSale(fx.admin, {
      title: 'Stadium Fifty Thousand',
      sections: Array.from({ length: SECTIONS }, (_, i) => ({
        name: `S${String(i + 1).padStart(2, '0')}`, category: i < 4 ? 'pitch' : 'stand', rows: ROWS, seats: SEATS_PER_ROW,
      })),
      prices: { pitch: 9500, stand: 6500 },
    });
    assert.equal(show.seats.length, TOTAL);
    console.log(`# seatmap-50k setup through the API: ${Date.now() - t0} ms`);
  });
  after(async () => {
    if (fx) await fx.close();
  });

  it('renders, pans and zooms within budget', { timeout: 240_000 }, async () => {
    const context = await newContext(fx.browser, fx.server);
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      const result = {};
      const started = Date.now();
      await page.goto(`/events/${show.event.id}`, { waitUntil: 'commit' });
      await page.waitForFunction((n) => {
        const map = window.boxofficeSeatMap;
        return !!map && map.seatCount === n && map.frames > 0;
      }, TOTAL, { timeout: 60_000, polling: 20 });
      result.firstRenderMs = Date.now() - started;

      const canvas = page.getByTestId('seat-map').locator('canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `seat map canvas too small: ${JSON.stringify(box)}`);
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await rafFrames(page, 3);

      // Pan over the whole map (every seat drawn), then zoom in with the wheel, then pan the
      // detailed view; frames are timed throughout.
      result.panOverview = await measurePan(page, box, 'the whole map');
      const framesBeforeZoom = await page.evaluate(() => window.boxofficeSeatMap.frames);
      await startFrameClock(page);
      for (let i = 0; i < 8; i += 1) {
        await page.mouse.move(cx, cy);
        await page.mouse.wheel(0, -240);
        await rafFrames(page, 1);
      }
      await rafFrames(page, 3);
      const zoomClock = await stopFrameClock(page);
      const framesAfterZoom = await page.evaluate(() => window.boxofficeSeatMap.frames);
      assert.ok(framesAfterZoom > framesBeforeZoom, 'the wheel did not redraw the map');
      result.zoom = { ...stats(zoomClock.intervals), longTasks: zoomClock.longTasks, longestTaskMs: zoomClock.longestTask };
      result.panZoomedIn = await measurePan(page, box, 'the zoomed-in map');
      result.seats = TOTAL;
      console.log(`# seatmap-50k ${JSON.stringify(result)}`);
      assert.ok(result.firstRenderMs < FIRST_RENDER_BUDGET_MS,
        `first render took ${result.firstRenderMs} ms (budget ${FIRST_RENDER_BUDGET_MS} ms)`);
      for (const key of ['panOverview', 'panZoomedIn']) {
        assert.ok(result[key].median < MEDIAN_FRAME_BUDGET_MS,
          `${key}: median frame while panning ${result[key].median} ms (budget ${MEDIAN_FRAME_BUDGET_MS} ms)`);
      }
      assertClean(problems, '50k seat map');
    } finally {
      await context.close();
    }
  });
});
