// The organizer: builds a venue, creates an event, uploads a poster, opens the sale and
// watches the dashboard move as a fan buys; looks an order up and refunds it; pauses and
// cancels the event. The public list shows the poster.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture } from './harness/fixture.js';
import { assertClean, newContext, snap, watch } from './harness/browser.js';
import {
  eventually, expectAttribute, expectCount, expectText, expectUrl, expectVisible,
} from './harness/expect.js';
import { gradientPng } from './harness/images.js';
import { unique } from './harness/server.js';

let fx;
let context;
let page;
let problems;
// Filled in as the story goes on.
// Fixed names (each file has a server of its own), so that the screenshots read well.
const story = { venueName: 'Riverside Hall', title: 'Aurora Live' };

function nav() {
  return page.getByRole('navigation', { name: 'Main' });
}

async function ensureCount(label, count, addButton) {
  for (let i = 0; i < 10 && (await page.getByLabel(label, { exact: true }).count()) < count; i += 1) {
    await page.getByRole('button', { name: addButton, exact: true }).click();
  }
  await expectCount(page.getByLabel(label, { exact: true }), count);
}

function field(label, n = 0) {
  return page.getByLabel(label, { exact: true }).nth(n);
}

// Sections are fieldsets; the Nth section's inputs are inside the Nth of them.
function sectionFieldset(n) {
  return page.locator('fieldset').filter({ has: page.getByLabel('Section name', { exact: true }) }).nth(n);
}

async function fillSection(n, name, category, rows, seats) {
  const set = sectionFieldset(n);
  await set.getByLabel('Section name', { exact: true }).fill(name);
  await set.getByLabel('Category', { exact: true }).fill(category);
  await set.getByLabel('Rows', { exact: true }).fill(String(rows));
  await set.getByLabel('Seats per row', { exact: true }).fill(String(seats));
}

// The standing area's "Category": inside the area's fieldset, else the last one on the form.
async function areaCategory() {
  const set = page.locator('fieldset').filter({ has: page.getByLabel('Area name', { exact: true }) });
  if ((await set.count()) > 0) return set.first().getByLabel('Category', { exact: true });
  return page.getByLabel('Category', { exact: true }).last();
}

function localDateTime(daysAhead, hour) {
  const d = new Date(Date.now() + daysAhead * 86400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

async function dashboardNumber(testId) {
  const text = await page.getByTestId(testId).innerText();
  const match = text.replace(/[\s,]/g, '').match(/-?\d+(\.\d+)?/);
  return match ? Number(match[0]) : NaN;
}

// The tests below are one story, each step building on the one before: after a failure
// the later steps are skipped rather than left to time out.
let broken = null;
function step(name, fn) {
  it(name, { timeout: 120_000 }, async (t) => {
    if (broken) {
      t.skip(`an earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn();
    } catch (err) {
      broken = name;
      throw err;
    }
  });
}

describe('organizer', () => {
  before(async () => {
    fx = await startFixture();
    context = await newContext(fx.browser, fx.server);
    page = await context.newPage();
    problems = watch(page, fx.server);
  });
  after(async () => {
    if (context) await context.close().catch(() => {});
    if (fx) await fx.close();
  });

  step('logs in and builds a venue with sections and a standing area', async () => {
    await page.goto('/login');
    await page.getByLabel('Email', { exact: true }).fill(fx.admin.email);
    await page.getByLabel('Password', { exact: true }).fill(fx.admin.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expectVisible(nav().getByRole('link', { name: 'Admin', exact: true }));
    await expectVisible(nav().getByRole('link', { name: 'Check-in', exact: true }));
    await nav().getByRole('link', { name: 'Admin', exact: true }).click();
    await expectUrl(page, /^\/admin$/);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Admin' }));

    await page.getByRole('link', { name: 'New venue', exact: true }).click();
    await expectUrl(page, /^\/admin\/venues\/new$/);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'New venue' }));
    await field('Venue name').fill(story.venueName);
    await ensureCount('Section name', 2, 'Add section');
    const sections = [['Main', 'stalls', 3, 8], ['Upper', 'balcony', 2, 6]];
    for (const [i, values] of sections.entries()) await fillSection(i, ...values);
    await ensureCount('Area name', 1, 'Add standing area');
    await field('Area name').fill('Floor');
    await (await areaCategory()).fill('standing');
    await field('Capacity').fill('40');
    const main = page.locator('main');
    await expectText(main, /\b76\b/);

    // A third section, then "Remove": the total follows.
    await ensureCount('Section name', 3, 'Add section');
    await fillSection(2, 'Box', 'box', 1, 4);
    await expectText(main, /\b80\b/);
    await sectionFieldset(2).getByRole('button', { name: /^Remove/ }).click();
    await expectCount(page.getByLabel('Section name', { exact: true }), 2);
    await expectText(main, /\b76\b/);
    assert.equal(await field('Section name', 1).inputValue(), 'Upper');
    await snap(page, 'admin-venue-new', { ready: field('Venue name') });

    await page.getByRole('button', { name: 'Create venue', exact: true }).click();
    const link = page.getByRole('link', { name: 'Create an event here' });
    await expectVisible(link);
    const venues = (await fx.api.call('GET', '/admin/venues', 200, { token: fx.admin.token })).venues;
    const venue = venues.find((v) => v.name === story.venueName);
    assert.ok(venue, `venue ${story.venueName} not in GET /admin/venues`);
    assert.equal(venue.capacity, 76);
    assert.deepEqual([...venue.categories].sort(), ['balcony', 'stalls', 'standing']);
    story.venueId = venue.id;
    const href = await link.getAttribute('href');
    const target = new URL(href, fx.server.url);
    assert.equal(target.pathname, '/admin/events/new');
    assert.equal(target.searchParams.get('venue'), venue.id);
    await link.click();
  });

  step('creates an event at that venue', async () => {
    await expectUrl(page, /^\/admin\/events\/new\?/);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'New event' }));
    const venueSelect = field('Venue');
    await eventually(async () => (await venueSelect.inputValue()) === story.venueId,
      { message: 'the venue from ?venue= to be chosen' });
    assert.equal(await field('Currency').inputValue(), 'EUR');
    assert.equal(await field('Max tickets per order').inputValue(), '8');
    assert.equal(await field('Hold time (seconds)').inputValue(), '600');
    await field('Title').fill(story.title);
    await field('Artist').fill('Aurora');
    await field('Starts at').fill(localDateTime(45, 20));
    await field('Price for stalls').fill('45.00');
    await field('Price for balcony').fill('30.00');
    await field('Price for standing').fill('25.00');
    await snap(page, 'admin-event-new', { ready: field('Title') });

    // A sale that starts after the event: refused, with the reason in an alert; nothing made.
    await field('Sale starts at').fill(localDateTime(50, 20));
    await page.getByRole('button', { name: 'Create event', exact: true }).click();
    await expectVisible(page.getByRole('alert').filter({ hasText: /\S/ }));
    await expectUrl(page, /^\/admin\/events\/new/);
    const made = (await fx.api.call('GET', '/admin/events', 200, { token: fx.admin.token })).events;
    assert.ok(!made.some((e) => e.title === story.title), 'an event was created with its sale after its start');
    await field('Sale starts at').fill('');
    await page.getByRole('button', { name: 'Create event', exact: true }).click();
    const url = await expectUrl(page, /^\/admin\/events\/(?!new$)[^/?]+$/);
    story.eventId = decodeURIComponent(url.pathname.split('/').pop());
    assert.notEqual(story.eventId, 'new');
    await expectVisible(page.getByRole('heading', { level: 1, name: story.title }));
    await expectText(page.getByTestId('event-status'), /^\s*scheduled\s*$/);
    const event = await fx.api.event(story.eventId);
    assert.equal(event.title, story.title);
    assert.equal(event.artist, 'Aurora');
    assert.deepEqual(event.prices, { stalls: 4500, balcony: 3000, standing: 2500 });
    assert.equal(event.capacity, 76);
    assert.equal(event.venue.id, story.venueId);
    // The builder names rows A, B, C… and numbers seats from 1; the standing area has its places.
    const seats = await fx.api.seats(story.eventId);
    const rowsOf = (section) => [...new Set(seats.filter((s) => s.section === section).map((s) => s.row))];
    assert.deepEqual(rowsOf('Main'), ['A', 'B', 'C']);
    assert.deepEqual(rowsOf('Upper'), ['A', 'B']);
    assert.deepEqual(seats.filter((s) => s.section === 'Main' && s.row === 'B').map((s) => s.number), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(seats.filter((s) => s.area === 'Floor').length, 40);
  });

  step('uploads a poster with a preview', async () => {
    await page.getByLabel('Poster image', { exact: true }).setInputFiles({
      name: 'aurora.png', mimeType: 'image/png', buffer: gradientPng(),
    });
    const preview = page.getByRole('img', { name: 'Poster preview' });
    await expectAttribute(preview, 'src', /^blob:/);
    await page.getByRole('button', { name: 'Upload poster', exact: true }).click();
    const current = page.getByRole('img', { name: 'Current poster' });
    await expectVisible(current, { timeout: 30_000 });
    await eventually(() => current.evaluate((img) => img.complete && img.naturalWidth > 0),
      { message: 'the current poster to load' });
    const event = await fx.api.event(story.eventId);
    assert.ok(event.poster && event.poster.variants.length > 0, 'the event has no poster after the upload');
  });

  step('opens the sale and sees the dashboard move as a fan buys', async () => {
    await page.getByRole('button', { name: 'Open sale', exact: true }).click();
    await expectText(page.getByTestId('event-status'), /^\s*on_sale\s*$/);
    assert.equal((await fx.api.event(story.eventId)).status, 'on_sale');

    await eventually(async () => (await dashboardNumber('sales-available')) === 76, { message: 'sales-available = 76' });
    assert.equal(await dashboardNumber('sales-sold'), 0);
    assert.equal(await dashboardNumber('sales-held'), 0);
    assert.equal(await dashboardNumber('sales-orders'), 0);
    await page.evaluate(() => { window.__dashboardPage = true; });

    // A fan buys two stalls seats, another holds three: the page follows by itself.
    const fan = await fx.api.signup({ email: `aurora-fan-${unique('f')}@example.com` });
    story.fan = fan;
    const hold = await fx.api.hold(fan, story.eventId, { category: 'stalls', quantity: 2 });
    story.order = await fx.api.pay(fan, hold.id);
    const other = await fx.api.signup();
    await fx.api.hold(other, story.eventId, { category: 'balcony', quantity: 3 });
    const t0 = Date.now();
    await eventually(async () => (await dashboardNumber('sales-sold')) === 2 &&
      (await dashboardNumber('sales-orders')) === 1 && (await dashboardNumber('sales-held')) === 3 &&
      (await dashboardNumber('sales-available')) === 71, { timeout: 8000, message: 'the dashboard to show the sale' });
    console.log(`# dashboard followed the sale after ${Date.now() - t0} ms`);
    await expectText(page.getByTestId('sales-revenue'), /90[.,]00/);
    await eventually(async () => (await dashboardNumber('sales-rate')) > 0, { timeout: 8000, message: 'sales-rate > 0' });
    assert.equal(await page.evaluate(() => window.__dashboardPage), true, 'the dashboard page was reloaded');
    await snap(page, 'admin-event', { ready: page.getByTestId('sales-sold') });
  });

  step('shows the poster in the public event list', async () => {
    const plain = await fx.api.eventOnSale(fx.admin, { title: 'Jazz in the Crypt', venueName: 'The Crypt', startsInDays: 20 });
    const visitor = await newContext(fx.browser, fx.server);
    const list = await visitor.newPage();
    const listProblems = watch(list, fx.server);
    try {
      await list.goto('/');
      const article = list.getByRole('article').filter({ has: list.getByRole('link', { name: story.title }) });
      await expectVisible(article);
      const link = article.getByRole('heading', { level: 2 }).getByRole('link', { name: story.title });
      assert.equal(new URL(await link.getAttribute('href'), fx.server.url).pathname, `/events/${story.eventId}`);
      const poster = article.getByRole('img', { name: `Poster for ${story.title}` });
      await expectAttribute(poster, 'srcset', /\d+w/);
      await expectAttribute(poster, 'sizes', /\S/);
      await expectAttribute(poster, 'loading', /^lazy$/);
      await expectText(article, new RegExp(story.venueName));
      await expectText(article, /from\s*\D{0,4}25[.,]00|from\s*25[.,]00/i);
      await expectText(article, /\bavailable\b|sold out/i);
      const plainArticle = list.getByRole('article').filter({ has: list.getByRole('link', { name: plain.event.title }) });
      await expectVisible(plainArticle);
      const placeholder = plainArticle.locator('.poster-placeholder');
      await expectCount(placeholder, 1);
      await expectAttribute(placeholder, 'aria-hidden', /^true$/);
      await expectCount(plainArticle.getByRole('img'), 0);
      await eventually(() => poster.evaluate((img) => img.complete && img.naturalWidth > 0),
        { message: 'the poster to load in the list' });
      await snap(list, 'event-list', { ready: poster });
      assertClean(listProblems, 'event list');
    } finally {
      await visitor.close();
    }
  });

  step('looks an order up and refunds it', async () => {
    await nav().getByRole('link', { name: 'Admin', exact: true }).click();
    await expectVisible(page.getByRole('link', { name: story.title }));
    const adminLink = page.getByRole('link', { name: story.title });
    assert.equal(new URL(await adminLink.getAttribute('href'), fx.server.url).pathname, `/admin/events/${story.eventId}`);
    await expectText(page.getByRole('row').filter({ has: adminLink }), /on_sale|on sale/i);
    await snap(page, 'admin', { ready: page.getByRole('table') });
    await page.getByRole('link', { name: 'Order lookup', exact: true }).click();
    await expectUrl(page, /^\/admin\/orders$/);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Order lookup' }));

    const query = page.getByLabel('Order ID or email', { exact: true });
    await query.fill(story.order.id);
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    const byId = page.getByRole('article').filter({ hasText: story.order.id });
    await expectCount(byId, 1);
    await expectText(byId.getByTestId('order-status'), /confirmed/i);

    await query.fill(story.fan.email);
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    const result = page.getByRole('article').filter({ hasText: story.order.id });
    await expectCount(result, 1);
    await expectText(result, /90[.,]00/);
    await snap(page, 'admin-orders', { ready: result });
    await result.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm refund', exact: true }).click();
    await expectText(result.getByTestId('order-status'), /refunded/i);
    const refunded = await fx.api.order(fx.admin, story.order.id);
    assert.equal(refunded.status, 'refunded');
    assert.ok(refunded.tickets.every((t) => t.status === 'void'));
    // The order's own page says so too (admins may read any order).
    await page.goto(`/orders/${story.order.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Order refunded' }));
  });

  step('pauses and cancels the event', async () => {
    await page.goto(`/admin/events/${story.eventId}`);
    await expectText(page.getByTestId('event-status'), /^\s*on_sale\s*$/);
    await page.getByRole('button', { name: 'Pause sale', exact: true }).click();
    await expectText(page.getByTestId('event-status'), /^\s*paused\s*$/);
    assert.equal((await fx.api.event(story.eventId)).status, 'paused');
    await page.getByRole('button', { name: 'Cancel event', exact: true }).click();
    assert.equal((await fx.api.event(story.eventId)).status, 'paused', 'cancelled without confirmation');
    await page.getByRole('button', { name: 'Yes, cancel event', exact: true }).click();
    await expectText(page.getByTestId('event-status'), /^\s*cancelled\s*$/);
    assert.equal((await fx.api.event(story.eventId)).status, 'cancelled');
    const listed = (await fx.api.call('GET', '/events', 200)).events.map((e) => e.id);
    assert.ok(!listed.includes(story.eventId));
    assertClean(problems, 'organizer');
  });
});
