// A fan's purchase in the storefront: sign-up, picking seats on the map, the hold and its
// countdown, a declined then an approved test card, the tickets with QR codes; best
// available (through a "very busy" answer retried by itself); live seat refresh from
// availability deltas; a payment whose answer is lost, paid again without a second order;
// holding while signed out; a purchase with the keyboard alone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { escapeRe, seatAt, seatTextPattern } from './harness/api.js';
import { DEFAULT_PASSWORD, uniqueEmail } from './harness/server.js';
import { startFixture } from './harness/fixture.js';
import {
  assertClean, clickSeat, isFocused, newContext, seatStatus, snap, tabTo, waitForSeatMap, watch,
} from './harness/browser.js';
import {
  eventually, expectAttribute, expectCount, expectHidden, expectText, expectUrl, expectVisible,
} from './harness/expect.js';

const SECTIONS = [
  { name: 'A', category: 'stalls', rows: 4, seats: 10 },
  { name: 'B', category: 'balcony', rows: 3, seats: 8 },
];
const PRICES = { stalls: 4500, balcony: 3500 };

let fx;
let show; // {venue, event, seats}

function selectionItems(page) {
  return page.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Remove/ }) });
}

function holdRegion(page) {
  return page.locator('section, [role="region"]')
    .filter({ has: page.getByRole('heading', { name: 'Your hold', exact: true }) }).last();
}

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

async function openEvent(page) {
  await page.goto(`/events/${show.event.id}`);
  await expectVisible(page.getByRole('heading', { level: 1, name: show.event.title }));
  await waitForSeatMap(page, show.seats.length);
}

async function pick(page, seat) {
  const before = await selectionItems(page).count();
  await clickSeat(page, seat.id);
  await expectCount(selectionItems(page), before + 1);
  await expectVisible(selectionItems(page).filter({ hasText: seatTextPattern(seat) }));
}

async function heldSeatIds() {
  return (await fx.api.seats(show.event.id)).filter((s) => s.status === 'held').map((s) => s.id).sort();
}

describe('fan', () => {
  before(async () => {
    fx = await startFixture();
    show = await fx.api.eventOnSale(fx.admin, {
      title: 'Midnight Orchestra', artist: 'The City Strings', venueName: 'Grand Hall', sections: SECTIONS, prices: PRICES,
    });
  });
  after(async () => {
    if (fx) await fx.close();
  });

  it('signs up, picks two seats, sees the countdown, is declined, pays and gets tickets with QR codes',
    { timeout: 180_000 }, async () => {
      const context = await newContext(fx.browser, fx.server);
      const page = await context.newPage();
      const problems = watch(page, fx.server);
      const unsafe = [];
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (url.pathname.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(req.method())) {
          unsafe.push({ what: `${req.method()} ${url.pathname}`, csrf: req.headers()['x-csrf-token'] || '' });
        }
      });
      try {
        await page.goto('/');
        const eventLink = page.getByRole('article').getByRole('heading', { level: 2 })
          .getByRole('link', { name: show.event.title });
        await expectVisible(eventLink);

        // Sign up from the header.
        await nav(page).getByRole('link', { name: 'Sign up', exact: true }).click();
        await expectUrl(page, /^\/signup/);
        await expectVisible(page.getByRole('heading', { level: 1, name: 'Sign up' }));
        await snap(page, 'signup', { ready: page.getByLabel('Email', { exact: true }) });
        const fan = { name: 'Frida Fan', email: uniqueEmail('frida'), password: DEFAULT_PASSWORD };
        await page.getByLabel('Name', { exact: true }).fill(fan.name);
        await page.getByLabel('Email', { exact: true }).fill(fan.email);
        await page.getByLabel('Password', { exact: true }).fill(fan.password);
        await page.getByRole('button', { name: 'Sign up', exact: true }).click();
        await expectVisible(nav(page).getByRole('button', { name: 'Log out' }));
        await expectVisible(nav(page).getByText(fan.name));
        await expectHidden(nav(page).getByRole('link', { name: 'Log in', exact: true }));
        await expectCount(nav(page).getByRole('link', { name: 'Admin', exact: true }), 0);

        // The session is an HttpOnly cookie; neither it nor the CSRF token is kept in web storage.
        const cookie = (await context.cookies()).find((c) => c.name === 'bo_session');
        assert.ok(cookie, 'no bo_session cookie after sign-up');
        assert.equal(cookie.httpOnly, true, 'bo_session must be HttpOnly');
        const me = await page.evaluate(async () => {
          const res = await fetch('/api/v1/me');
          return { status: res.status, body: await res.json(), cookie: document.cookie };
        });
        assert.equal(me.status, 200);
        assert.equal(me.body.user.email, fan.email);
        assert.ok(!me.cookie.includes('bo_session'), 'the session cookie is readable from script');
        const stored = await page.evaluate(() => {
          const all = [];
          for (const store of [localStorage, sessionStorage]) {
            for (let i = 0; i < store.length; i += 1) all.push(`${store.key(i)}=${store.getItem(store.key(i))}`);
          }
          return all;
        });
        for (const entry of stored) {
          assert.ok(!entry.includes(cookie.value), `session token in web storage: ${entry.slice(0, 80)}`);
          assert.ok(!entry.includes(me.body.csrf_token), `CSRF token in web storage: ${entry.slice(0, 80)}`);
        }

        // The event page from the list.
        await nav(page).getByRole('link', { name: 'Events', exact: true }).click();
        await expectUrl(page, /^\/$/);
        await eventLink.click();
        await expectUrl(page, new RegExp(`^/events/${show.event.id}$`));
        await expectVisible(page.getByRole('heading', { level: 1, name: show.event.title }));
        await waitForSeatMap(page, show.seats.length);
        const main = page.locator('main');
        await expectText(main, /stalls[\s\S]{0,40}45[.,]00/i);
        await expectText(main, /balcony[\s\S]{0,40}35[.,]00/i);
        await expectText(main, new RegExp(escapeRe(show.venue.name)));
        const canvas = page.getByTestId('seat-map').locator('canvas');
        await expectAttribute(canvas, 'role', /^application$/);
        await expectAttribute(canvas, 'aria-label', /^Seat map$/);
        await expectAttribute(canvas, 'tabindex', /^0$/);
        for (const word of [/available/i, /held/i, /sold/i, /your pick/i]) {
          await expectVisible(page.getByText(word).filter({ visible: true }));
        }
        const holdButton = page.getByRole('button', { name: 'Hold selected seats' });
        assert.equal(await holdButton.isDisabled(), true, '"Hold selected seats" must be disabled with nothing picked');

        // Pick two seats; a click on a picked seat unpicks it; "Remove" unpicks too.
        const first = seatAt(show.seats, 'A', 2, 5);
        const second = seatAt(show.seats, 'A', 2, 6);
        const other = seatAt(show.seats, 'A', 3, 1);
        await pick(page, first);
        await pick(page, other);
        await clickSeat(page, other.id);
        await expectCount(selectionItems(page), 1);
        await pick(page, other);
        await selectionItems(page).filter({ hasText: seatTextPattern(other) })
          .getByRole('button', { name: /^Remove/ }).click();
        await expectCount(selectionItems(page), 1);
        await pick(page, second);
        await expectVisible(page.getByRole('heading', { name: 'Your selection' }));
        assert.equal(await holdButton.isEnabled(), true);
        await snap(page, 'event', { ready: canvas });

        // Hold them: the hold, its total and a countdown that runs.
        await holdButton.click();
        const hold = holdRegion(page);
        await expectVisible(hold);
        await expectText(hold, seatTextPattern(first));
        await expectText(hold, seatTextPattern(second));
        await expectText(hold, /90[.,]00/);
        const countdown = page.getByTestId('hold-countdown');
        const start = await expectText(countdown, /^\s*\d{1,2}:\d{2}\s*$/);
        const toSeconds = (text) => text.trim().split(':').reduce((m, s) => m * 60 + Number(s), 0);
        assert.ok(toSeconds(start) <= 600 && toSeconds(start) >= 560, `countdown starts at ${start} for a 600 s hold`);
        await eventually(async () => toSeconds(await countdown.innerText()) < toSeconds(start),
          { timeout: 4000, message: 'the countdown to go down' });
        assert.deepEqual(await heldSeatIds(), [first.id, second.id].sort());
        await eventually(async () => (await seatStatus(page, first.id)) === 'held',
          { timeout: 5000, message: 'the held seat to show as held on the map' });
        await expectVisible(page.getByRole('button', { name: 'Release seats' }));
        await expectVisible(page.getByText(/no real money/i));

        // Declined card: an alert, and the hold stays.
        const cards = page.getByRole('group', { name: 'Test card' });
        await cards.getByRole('radio', { name: 'Declined test card (tok_declined)' }).check();
        await page.getByRole('button', { name: 'Pay', exact: true }).click();
        await expectText(page.getByRole('alert').filter({ hasText: /declined/i }), /declined/i);
        await expectVisible(hold);
        assert.deepEqual(await heldSeatIds(), [first.id, second.id].sort(), 'a declined payment keeps the hold');
        await snap(page, 'event-hold', { ready: hold });

        // Approved card: the order page with the tickets and their QR codes.
        await cards.getByRole('radio', { name: 'Approved test card (tok_visa)' }).check();
        await page.getByRole('button', { name: 'Pay', exact: true }).click();
        const orderUrl = await expectUrl(page, /^\/orders\/[^/?]+$/);
        const orderId = decodeURIComponent(orderUrl.pathname.split('/').pop());
        await expectVisible(page.getByRole('heading', { level: 1, name: 'Order confirmed' }));
        const order = await fx.api.order(fx.admin, orderId);
        assert.equal(order.status, 'confirmed');
        assert.deepEqual(order.tickets.map((t) => t.seat.id).sort(), [first.id, second.id].sort());
        await expectCount(page.getByTestId('ticket-code'), 2);
        const codes = (await page.getByTestId('ticket-code').allInnerTexts()).map((c) => c.trim()).sort();
        assert.deepEqual(codes, order.tickets.map((t) => t.code).sort());
        const qrs = page.getByRole('img', { name: /^QR code for ticket/ });
        await expectCount(qrs, 2);
        const qrPaths = [];
        for (let i = 0; i < 2; i += 1) {
          const src = await qrs.nth(i).getAttribute('src');
          qrPaths.push(new URL(src, fx.server.url).pathname);
          await eventually(() => qrs.nth(i).evaluate((img) => img.complete && img.naturalWidth > 0),
            { message: 'the QR code image to load' });
        }
        assert.deepEqual(qrPaths.sort(), order.tickets.map((t) => `/api/v1/tickets/${t.id}/qr.svg`).sort());
        for (const ticket of order.tickets) await expectText(page.locator('main'), seatTextPattern(ticket.seat));
        await snap(page, 'order', { ready: qrs });

        // My tickets lists the order.
        await nav(page).getByRole('link', { name: 'My tickets', exact: true }).click();
        await expectUrl(page, /^\/tickets$/);
        await expectVisible(page.getByRole('heading', { level: 1, name: 'My tickets' }));
        await expectVisible(page.locator(`a[href$="/orders/${orderId}"]`));
        await expectText(page.locator('main'), seatTextPattern(first));
        await snap(page, 'my-tickets', { ready: page.getByRole('heading', { level: 1, name: 'My tickets' }) });

        // Log out.
        await nav(page).getByRole('button', { name: 'Log out' }).click();
        await expectVisible(nav(page).getByRole('link', { name: 'Log in', exact: true }));
        const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
        assert.equal(after, 401, 'still signed in after "Log out"');

        // Every unsafe request made while signed in carried the CSRF token.
        const signedIn = unsafe.filter((r) => !/\/auth\/(signup|login)$/.test(r.what));
        assert.ok(signedIn.some((r) => r.what.startsWith('POST /api/v1/orders')), JSON.stringify(unsafe));
        for (const r of signedIn) assert.ok(r.csrf.length > 0, `${r.what} without X-CSRF-Token`);
        assertClean(problems, 'purchase');
      } finally {
        await context.close();
      }
    });

  it('holds the best available seats after a "very busy" answer that it retries by itself',
    { timeout: 120_000 }, async () => {
      const fan = await fx.api.signup();
      const context = await newContext(fx.browser, fx.server, { user: fan });
      const page = await context.newPage();
      const problems = watch(page, fx.server);
      try {
        await openEvent(page);
        const holdBodies = [];
        await page.route(`**/api/v1/events/${show.event.id}/holds`, async (route) => {
          holdBodies.push(route.request().postData());
          if (holdBodies.length === 1) {
            await route.fulfill({
              status: 503,
              headers: { 'Retry-After': '2', 'Content-Type': 'application/json' },
              body: JSON.stringify({ error: { code: 'overloaded', message: 'Too many requests at once' } }),
            });
          } else {
            await route.continue();
          }
        });
        const category = page.getByLabel('Category', { exact: true });
        const option = category.locator('option').filter({ hasText: /balcony/i }).first();
        const value = await option.getAttribute('value');
        await category.selectOption(value !== null ? value : { label: (await option.innerText()).trim() });
        await page.getByLabel('Quantity', { exact: true }).fill('3');
        await page.getByRole('button', { name: 'Find best available' }).click();
        // "Very busy, trying again in 2 s", then "… 1 s", then the same request again by itself.
        const busy = page.getByRole('status').filter({ hasText: /Very busy, trying again in \d+ s/ });
        await expectText(busy, /Very busy, trying again in 2 s/, { timeout: 5000 });
        await expectText(busy, /Very busy, trying again in 1 s/, { timeout: 3000 });
        const hold = holdRegion(page);
        await expectVisible(hold, { timeout: 10_000 });
        await expectCount(busy, 0);
        assert.equal(holdBodies.length, 2, 'the refused request must be sent again exactly once');
        assert.equal(holdBodies[1], holdBodies[0], 'the retry must be the same request');
        assert.deepEqual(JSON.parse(holdBodies[0]), { category: 'balcony', quantity: 3 });

        // Three balcony seats side by side in one row.
        const held = (await fx.api.seats(show.event.id)).filter((s) => s.status === 'held' && s.section === 'B');
        assert.equal(held.length, 3, 'three balcony seats held');
        assert.equal(new Set(held.map((s) => s.row)).size, 1, 'best available: one row');
        const numbers = held.map((s) => s.number).sort((a, b) => a - b);
        assert.equal(numbers[2] - numbers[0], 2, `best available: adjacent seats, got ${numbers}`);
        for (const seat of held) await expectText(hold, seatTextPattern(seat));
        await expectText(hold, /105[.,]00/);

        // Release: the seats are free again at once.
        await page.getByRole('button', { name: 'Release seats' }).click();
        await expectHidden(page.getByRole('heading', { name: 'Your hold', exact: true }));
        await eventually(async () => {
          const seats = await fx.api.seats(show.event.id);
          return held.every((h) => seats.find((s) => s.id === h.id).status === 'available');
        }, { message: 'released seats to be available' });
        assertClean(problems, 'best available');
      } finally {
        await context.close();
      }
    });

  it('shows seats taken by others within 2 s from availability deltas, never refetching the seat list',
    { timeout: 120_000 }, async () => {
      const fan = await fx.api.signup();
      const rival = await fx.api.signup();
      const context = await newContext(fx.browser, fx.server, { user: fan });
      const page = await context.newPage();
      const problems = watch(page, fx.server);
      const seen = [];
      page.on('request', (req) => seen.push({ url: new URL(req.url()), at: Date.now() }));
      try {
        await openEvent(page);
        const loaded = seen.length;
        const seatsPath = `/api/v1/events/${show.event.id}/seats`;
        const availabilityPath = `/api/v1/events/${show.event.id}/availability`;
        const target = seatAt(show.seats, 'A', 4, 10);
        assert.equal(await seatStatus(page, target.id), 'available');
        const versionBefore = await page.evaluate(() => window.boxofficeSeatMap.version);

        const timings = {};
        const hold = await fx.api.hold(rival, show.event.id, [target.id]);
        let t0 = Date.now();
        await page.waitForFunction((id) => window.boxofficeSeatMap.statusOf(id) === 'held', target.id,
          { timeout: 2000, polling: 20 });
        timings.held = Date.now() - t0;
        assert.notEqual(await page.evaluate(() => window.boxofficeSeatMap.version), versionBefore);

        await fx.api.releaseHold(rival, hold.id);
        t0 = Date.now();
        await page.waitForFunction((id) => window.boxofficeSeatMap.statusOf(id) === 'available', target.id,
          { timeout: 2000, polling: 20 });
        timings.released = Date.now() - t0;

        const bought = await fx.api.hold(rival, show.event.id, [target.id]);
        await fx.api.pay(rival, bought.id);
        t0 = Date.now();
        await page.waitForFunction((id) => window.boxofficeSeatMap.statusOf(id) === 'sold', target.id,
          { timeout: 2000, polling: 20 });
        timings.sold = Date.now() - t0;
        console.log(`# seat refresh after another user's change (ms): ${JSON.stringify(timings)}`);

        const later = seen.slice(loaded);
        assert.deepEqual(later.filter((r) => r.url.pathname === seatsPath).map((r) => r.url.href), [],
          'the seat list must not be fetched again for a refresh');
        // At most the first availability request (to learn the version) goes without since=.
        const polls = seen.filter((r) => r.url.pathname === availabilityPath);
        const withoutSince = polls.filter((r) => !r.url.searchParams.get('since'));
        assert.ok(withoutSince.length === 0 || (withoutSince.length === 1 && withoutSince[0] === polls[0]),
          `availability polls without since=: ${withoutSince.map((r) => r.url.href)}`);
        assert.ok(polls.length - withoutSince.length >= 3, `expected availability polls with since=, saw ${polls.length}`);
        assertClean(problems, 'refresh');
      } finally {
        await context.close();
      }
    });

  it('pays once when the answer to the first Pay is lost: the second Pay sends the same Idempotency-Key',
    { timeout: 120_000 }, async () => {
      const fan = await fx.api.signup();
      const context = await newContext(fx.browser, fx.server, { user: fan });
      const page = await context.newPage();
      const problems = watch(page, fx.server);
      try {
        await openEvent(page);
        const seat = seatAt(show.seats, 'B', 3, 8);
        await pick(page, seat);
        await page.getByRole('button', { name: 'Hold selected seats' }).click();
        await expectVisible(holdRegion(page));

        // The first payment reaches the server and is placed, but its answer never arrives.
        const payments = [];
        await page.route('**/api/v1/orders', async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          const sent = { body: route.request().postData(), key: route.request().headers()['idempotency-key'] };
          payments.push(sent);
          if (payments.length === 1) {
            const answer = await route.fetch();
            sent.status = answer.status();
            return route.abort('connectionreset');
          }
          return route.continue();
        });
        await page.getByRole('button', { name: 'Pay', exact: true }).click();
        await expectText(page.getByRole('alert').filter({ hasText: /reach Boxoffice/i }), /reach Boxoffice/i);
        assert.equal(payments[0].status, 201, 'the first payment must have been placed by the server');
        await expectVisible(holdRegion(page));

        await page.getByRole('button', { name: 'Pay', exact: true }).click();
        const orderUrl = await expectUrl(page, /^\/orders\/[^/?]+$/);
        await expectVisible(page.getByRole('heading', { level: 1, name: 'Order confirmed' }));
        assert.equal(payments.length, 2, 'one Pay click, one request');
        assert.ok(payments[0].key, 'a payment without Idempotency-Key');
        assert.deepEqual({ body: payments[1].body, key: payments[1].key }, { body: payments[0].body, key: payments[0].key },
          'the second Pay must repeat the first request, same key and body');
        const orders = await fx.api.orders(fan);
        assert.equal(orders.length, 1, 'the lost answer must not lead to a second order');
        assert.equal(orders[0].id, decodeURIComponent(orderUrl.pathname.split('/').pop()));
        assert.deepEqual(orders[0].tickets.map((t) => t.seat.id), [seat.id]);
        assertClean(problems, 'lost payment answer');
      } finally {
        await context.close();
      }
    });

  it('sends a signed-out fan to log in when holding, and back to the event', { timeout: 120_000 }, async () => {
    const fan = await fx.api.signup({ name: 'Lou Later' });
    const context = await newContext(fx.browser, fx.server);
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await openEvent(page);
      await pick(page, seatAt(show.seats, 'A', 1, 1));
      await page.getByRole('button', { name: 'Hold selected seats' }).click();
      const loginUrl = await expectUrl(page, /^\/login\?/);
      assert.equal(loginUrl.searchParams.get('next'), `/events/${show.event.id}`);
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Log in' }));
      await snap(page, 'login', { ready: page.getByLabel('Password', { exact: true }) });

      await page.getByLabel('Email', { exact: true }).fill(fan.email);
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expectVisible(page.getByRole('alert'));
      await expectUrl(page, /^\/login/);

      await page.getByLabel('Password', { exact: true }).fill(fan.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expectUrl(page, new RegExp(`^/events/${show.event.id}$`));
      await expectVisible(nav(page).getByText(fan.name));
      await waitForSeatMap(page, show.seats.length);
      assertClean(problems, 'log in');
    } finally {
      await context.close();
    }
  });

  it('buys a seat with the keyboard alone', { timeout: 120_000 }, async () => {
    const fan = await fx.api.signup();
    const context = await newContext(fx.browser, fx.server, { user: fan });
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await openEvent(page);
      const canvas = page.getByRole('application', { name: 'Seat map' });
      await tabTo(page, canvas);

      // + and - zoom the focused map around its centre: two neighbours move apart, then back.
      const gap = () => page.evaluate(([a, b]) => {
        const p = window.boxofficeSeatMap.seatCenter(a);
        const q = window.boxofficeSeatMap.seatCenter(b);
        return p && q ? Math.hypot(p.x - q.x, p.y - q.y) : null;
      }, [seatAt(show.seats, 'A', 2, 5).id, seatAt(show.seats, 'A', 2, 6).id]);
      const gapBefore = await gap();
      assert.ok(gapBefore > 0, 'seats A 2/5 and A 2/6 not both visible at the start');
      await page.keyboard.press('+');
      const gapZoomed = await eventually(async () => {
        const g = await gap();
        return { ok: g !== null && g > gapBefore * 1.1, g };
      }, { timeout: 3000, message: '"+" to zoom in' });
      await page.keyboard.press('-');
      await eventually(async () => {
        const g = await gap();
        return { ok: g !== null && g < gapZoomed.g * 0.95, g };
      }, { timeout: 3000, message: '"-" to zoom out' });

      // Arrow keys move the cursor; the live region names the seat under it.
      const cursor = page.getByTestId('seat-cursor');
      await expectAttribute(cursor, 'aria-live', /^polite$/);
      const describes = /Section (\S+), row (\S+), seat (\d+), (\S+), (available|held|sold)/i;
      await page.keyboard.press('ArrowRight');
      let text = await expectText(cursor, describes);
      const firstText = text;
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      text = await expectText(cursor, describes);
      assert.notEqual(text, firstText, 'the cursor did not move with the arrow keys');
      for (let i = 0; i < 40 && !/available\s*$/i.test(text.trim()); i += 1) {
        await page.keyboard.press('ArrowRight');
        text = await expectText(cursor, describes);
      }
      const [, section, row, number] = text.match(describes);
      const seat = seatAt(show.seats, section, row, Number(number));
      assert.equal(await seatStatus(page, seat.id), 'available');

      await page.keyboard.press('Enter');
      await expectCount(selectionItems(page), 1);
      await expectVisible(selectionItems(page).filter({ hasText: seatTextPattern(seat) }));
      assert.equal(await isFocused(canvas), true, 'picking a seat must keep the focus on the map');

      await tabTo(page, page.getByRole('button', { name: 'Hold selected seats' }));
      await page.keyboard.press('Enter');
      await expectVisible(holdRegion(page));

      // The payment radios: Tab into the group, Space checks, arrows move the choice.
      const cards = page.getByRole('group', { name: 'Test card' });
      const visa = cards.getByRole('radio', { name: 'Approved test card (tok_visa)' });
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement && document.activeElement.type === 'radio')) break;
      }
      assert.equal(await cards.getByRole('radio').evaluateAll((radios) => radios.includes(document.activeElement)),
        true, 'Tab never reached the test card radios');
      await page.keyboard.press('Space');
      for (let i = 0; i < 3 && !(await visa.isChecked()); i += 1) await page.keyboard.press('ArrowDown');
      assert.equal(await visa.isChecked(), true, 'could not choose the approved card with the keyboard');

      // The payment meets a 429 first: it is sent again by itself, with the same Idempotency-Key.
      const payments = [];
      await page.route('**/api/v1/orders', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        payments.push({ body: route.request().postData(), key: route.request().headers()['idempotency-key'] });
        if (payments.length === 1) {
          return route.fulfill({
            status: 429,
            headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
            body: JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down' } }),
          });
        }
        return route.continue();
      });
      await tabTo(page, page.getByRole('button', { name: 'Pay', exact: true }));
      await page.keyboard.press('Enter');
      await expectText(page.getByRole('status').filter({ hasText: /Very busy/ }), /Very busy, trying again in \d+ s/);
      const orderUrl = await expectUrl(page, /^\/orders\/[^/?]+$/);
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Order confirmed' }));
      await expectCount(page.getByTestId('ticket-code'), 1);
      const order = await fx.api.order(fan, decodeURIComponent(orderUrl.pathname.split('/').pop()));
      assert.deepEqual(order.tickets.map((t) => t.seat.id), [seat.id]);
      assert.equal(payments.length, 2, 'the refused payment must be sent again exactly once');
      assert.ok(payments[0].key, 'a payment without Idempotency-Key');
      assert.deepEqual(payments[1], payments[0], 'the retried payment must be the same request, same key');
      assert.equal((await fx.api.orders(fan)).length, 1);
      assertClean(problems, 'keyboard purchase');
    } finally {
      await context.close();
    }
  });
  it('shows "Your hold expired" when the countdown runs out, and frees the seats', { timeout: 120_000 }, async () => {
    const short = await fx.api.eventOnSale(fx.admin, {
      title: 'Quick Hold Matinee', venueName: 'Studio One', sections: [{ name: 'A', category: 'stalls', rows: 2, seats: 6 }], holdSeconds: 4,
    });
    const fan = await fx.api.signup();
    const context = await newContext(fx.browser, fx.server, { user: fan });
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await page.goto(`/events/${short.event.id}`);
      await waitForSeatMap(page, short.seats.length);
      const seat = seatAt(short.seats, 'A', 1, 3);
      await pick(page, seat);
      await page.getByRole('button', { name: 'Hold selected seats' }).click();
      await expectVisible(holdRegion(page));
      await expectText(page.getByTestId('hold-countdown'), /^\s*0:0[0-4]\s*$/);
      await expectVisible(page.getByText('Your hold expired'), { timeout: 10_000 });
      await expectCount(page.getByRole('heading', { name: 'Your hold', exact: true }), 0);
      await eventually(async () => (await fx.api.seats(short.event.id)).find((s) => s.id === seat.id).status === 'available',
        { timeout: 5000, message: 'the expired hold\'s seat to be available' });
      await eventually(async () => (await seatStatus(page, seat.id)) === 'available',
        { timeout: 5000, message: 'the map to show the seat available again' });
      assertClean(problems, 'hold expiry');
    } finally {
      await context.close();
    }
  });
});
