// Two browsers race for the same seat: one gets the hold, the other is told the seat was
// just taken, keeps the rest of its selection and sees the seat taken on the map at once.
// Best available with too few seats left says "sold out".

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seatAt, seatTextPattern } from './harness/api.js';
import { startFixture } from './harness/fixture.js';
import {
  assertClean, clickSeat, launchBrowser, newContext, seatStatus, waitForSeatMap, watch,
} from './harness/browser.js';
import { eventually, expectCount, expectText, expectVisible } from './harness/expect.js';

let fx;
let secondBrowser;
let show;

function selectionItems(page) {
  return page.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Remove/ }) });
}

function holdHeading(page) {
  return page.getByRole('heading', { name: 'Your hold', exact: true });
}

async function fanPage(browser, user) {
  const context = await newContext(browser, fx.server, { user });
  const page = await context.newPage();
  const problems = watch(page, fx.server);
  await page.goto(`/events/${show.event.id}`);
  await waitForSeatMap(page, show.seats.length);
  return { context, page, problems };
}

async function pick(page, seat) {
  const before = await selectionItems(page).count();
  await clickSeat(page, seat.id);
  await expectCount(selectionItems(page), before + 1);
}

describe('race', () => {
  before(async () => {
    fx = await startFixture();
    secondBrowser = await launchBrowser();
    show = await fx.api.eventOnSale(fx.admin, {
      title: 'Last Seat Standing', venueName: 'Little Theatre',
      sections: [
        { name: 'A', category: 'stalls', rows: 2, seats: 6 },
        { name: 'B', category: 'balcony', rows: 1, seats: 4 },
      ],
      prices: { stalls: 5000, balcony: 3000 },
    });
  });
  after(async () => {
    if (secondBrowser) await secondBrowser.close().catch(() => {});
    if (fx) await fx.close();
  });

  it('the loser of a race for one seat sees "just taken" and keeps the rest', { timeout: 120_000 }, async () => {
    const [alice, bob] = [await fx.api.signup({ name: 'Alice' }), await fx.api.signup({ name: 'Bob' })];
    const a = await fanPage(fx.browser, alice);
    const b = await fanPage(secondBrowser, bob);
    try {
      const shared = seatAt(show.seats, 'A', 1, 3);
      const onlyA = seatAt(show.seats, 'A', 1, 2);
      const onlyB = seatAt(show.seats, 'A', 1, 4);
      await pick(a.page, onlyA);
      await pick(a.page, shared);
      await pick(b.page, shared);
      await pick(b.page, onlyB);

      // Availability polls are held back from here on, so that only the answer to the hold
      // itself can mark the lost seat on the map.
      const heldBack = [];
      const isPoll = (url) => url.pathname.endsWith(`/events/${show.event.id}/availability`);
      for (const { page } of [a, b]) await page.route(isPoll, (route) => heldBack.push(route));

      // Both press "Hold selected seats" at the same moment.
      await Promise.all([a, b].map(({ page }) => page.getByRole('button', { name: 'Hold selected seats' }).click()));
      const takenAlert = (page) => page.getByRole('alert').filter({ hasText: /just taken/i });
      const outcome = await eventually(async () => {
        const state = {};
        for (const [name, side] of [['a', a], ['b', b]]) {
          const alerts = (await side.page.getByRole('alert').allInnerTexts()).filter((t) => t.trim());
          if (await holdHeading(side.page).isVisible()) state[name] = 'hold';
          else if ((await takenAlert(side.page).count()) > 0) state[name] = 'taken';
          else state[name] = alerts.length > 0 ? `alert: ${alerts.join(' | ')}` : 'waiting';
        }
        return { ok: state.a !== 'waiting' && state.b !== 'waiting', ...state };
      }, { message: 'both pages to show the outcome of the race' });
      assert.deepEqual([outcome.a, outcome.b].sort(), ['hold', 'taken'], `race outcome ${JSON.stringify(outcome)}`);
      const [winner, loser, loserKeeps, winnerSeats] = outcome.a === 'hold'
        ? [a, b, onlyB, [onlyA, shared]] : [b, a, onlyA, [shared, onlyB]];
      // From here on every availability request of the loser is noted: the 409 changed its
      // map locally, so the next poll must ask in full (no since=) to replace that guess.
      const loserPolls = [];
      loser.page.on('request', (req) => {
        const url = new URL(req.url());
        if (isPoll(url)) loserPolls.push(url);
      });

      // The loser: a clear message naming the seat, that seat marked at once, the rest kept.
      const alertText = await takenAlert(loser.page).first().innerText();
      assert.match(alertText, seatTextPattern(shared), `the alert must name the seat: ${alertText}`);
      await eventually(async () => (await seatStatus(loser.page, shared.id)) === 'held',
        { timeout: 3000, message: 'the taken seat to be marked on the map from the 409 answer' });
      for (const { page } of [a, b]) await page.unroute(isPoll);
      for (const route of heldBack) await route.continue().catch(() => {});
      await eventually(async () => loserPolls.length > 0, { timeout: 5000, message: 'the loser to poll availability again' });
      assert.equal(loserPolls[0].searchParams.get('since'), null,
        `the first poll after the 409 must ask without since=: ${loserPolls[0].href}`);
      await eventually(async () => loserPolls.some((u) => u.searchParams.get('since')),
        { timeout: 5000, message: 'the loser to poll with since= again after the full answer' });
      assert.equal(await seatStatus(loser.page, shared.id), 'held', 'the full answer must still show the taken seat');
      await expectCount(selectionItems(loser.page), 1);
      await expectText(selectionItems(loser.page), seatTextPattern(loserKeeps));
      await expectCount(holdHeading(loser.page), 0);

      // The winner holds both of its seats; the loser can still hold what it kept.
      const held = async () => (await fx.api.seats(show.event.id)).filter((s) => s.status === 'held').map((s) => s.id).sort();
      assert.deepEqual(await held(), winnerSeats.map((s) => s.id).sort());
      await loser.page.getByRole('button', { name: 'Hold selected seats' }).click();
      await expectVisible(holdHeading(loser.page));
      assert.deepEqual(await held(), [onlyA, shared, onlyB].map((s) => s.id).sort());
      await expectText(winner.page.getByTestId('hold-countdown'), /^\s*\d{1,2}:\d{2}\s*$/);
      assertClean(a.problems, 'first browser');
      assertClean(b.problems, 'second browser');
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('best available with too few seats left says "sold out"', { timeout: 120_000 }, async () => {
    const rival = await fx.api.signup();
    await fx.api.hold(rival, show.event.id, { category: 'balcony', quantity: 3 });
    const fan = await fx.api.signup();
    const f = await fanPage(fx.browser, fan);
    try {
      const category = f.page.getByLabel('Category', { exact: true });
      const option = category.locator('option').filter({ hasText: /balcony/i }).first();
      const value = await option.getAttribute('value');
      await category.selectOption(value !== null ? value : { label: (await option.innerText()).trim() });
      await f.page.getByLabel('Quantity', { exact: true }).fill('2');
      await f.page.getByRole('button', { name: 'Find best available' }).click();
      await expectText(f.page.getByRole('alert').filter({ hasText: /sold out/i }), /sold out/i);
      await expectCount(holdHeading(f.page), 0);
      assertClean(f.problems, 'sold out');
    } finally {
      await f.context.close();
    }
  });
});
