// Door staff: a ticket is admitted once, the second scan says "already checked in" with
// the time; forged and refunded tickets are refused. Roles decide what the header offers.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture } from './harness/fixture.js';
import { assertClean, isFocused, newContext, snap, watch } from './harness/browser.js';
import { eventually, expectAttribute, expectCount, expectText, expectUrl, expectVisible } from './harness/expect.js';

let fx;
let tickets; // [valid ticket, another valid ticket, void ticket]

describe('check-in', () => {
  before(async () => {
    fx = await startFixture();
    const { event } = await fx.api.eventOnSale(fx.admin, { title: 'Door Test Night', venueName: 'Club Basement' });
    const fan = await fx.api.signup();
    const order = await fx.api.pay(fan, (await fx.api.hold(fan, event.id, { category: 'stalls', quantity: 2 })).id);
    const other = await fx.api.signup();
    const refunded = await fx.api.pay(other, (await fx.api.hold(other, event.id, { category: 'stalls', quantity: 1 })).id);
    await fx.api.refund(fx.admin, refunded.id);
    tickets = [...order.tickets, refunded.tickets[0]];
  });
  after(async () => {
    if (fx) await fx.close();
  });

  it('admits a ticket once and says "already checked in" the second time', { timeout: 120_000 }, async () => {
    const context = await newContext(fx.browser, fx.server);
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await page.goto('/login?next=/checkin');
      await page.getByLabel('Email', { exact: true }).fill(fx.staff.email);
      await page.getByLabel('Password', { exact: true }).fill(fx.staff.password);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await expectUrl(page, /^\/checkin$/);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expectVisible(nav.getByRole('link', { name: 'Check-in', exact: true }));
      await expectCount(nav.getByRole('link', { name: 'Admin', exact: true }), 0);
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Check-in' }));

      const input = page.getByLabel('Ticket code', { exact: true });
      await eventually(() => isFocused(input), { message: 'the ticket code input to have the focus' });
      const result = page.getByTestId('checkin-result');
      const scan = async (code, how = 'button') => {
        await input.fill(code);
        if (how === 'enter') await input.press('Enter');
        else await page.getByRole('button', { name: 'Check in', exact: true }).click();
        await eventually(async () => (await result.count()) > 0 && (await input.inputValue()) === '' &&
          (await isFocused(input)), { message: 'a result, with the input cleared and focused' });
      };

      await scan(tickets[0].code);
      await expectAttribute(result, 'data-result', /^admitted$/);
      await expectText(result, /ADMITTED/);
      const scanned = await fx.api.order(fx.admin, tickets[0].order_id);
      assert.equal(scanned.tickets.find((t) => t.id === tickets[0].id).status, 'checked_in');
      await snap(page, 'checkin', { ready: result });

      await scan(tickets[0].code, 'enter');
      await expectAttribute(result, 'data-result', /^already$/);
      await expectText(result, /ALREADY CHECKED IN/);
      await expectText(result, /at \d{2}:\d{2}:\d{2}/);

      await scan(tickets[1].code);
      await expectAttribute(result, 'data-result', /^admitted$/);

      await scan(`${tickets[1].code.slice(0, -4)}AAAA`);
      await expectAttribute(result, 'data-result', /^invalid$/);
      await expectText(result, /INVALID TICKET/);

      await scan(tickets[2].code);
      await expectAttribute(result, 'data-result', /^void$/);
      await expectText(result, /VOID TICKET/);

      // Staff are not admins.
      await page.goto('/admin');
      await expectVisible(page.getByText('You need an admin account'));
      assertClean(problems, 'check-in');
    } finally {
      await context.close();
    }
  });

  it('offers check-in to staff and admins only', { timeout: 60_000 }, async () => {
    const fan = await fx.api.signup({ name: 'Casey Customer' });
    const context = await newContext(fx.browser, fx.server, { user: fan });
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expectVisible(nav.getByText('Casey Customer'));
      await expectCount(nav.getByRole('link', { name: 'Check-in', exact: true }), 0);
      await expectCount(nav.getByRole('link', { name: 'Admin', exact: true }), 0);
      await page.goto('/admin');
      await expectVisible(page.getByText('You need an admin account'));
      assertClean(problems, 'customer');
    } finally {
      await context.close();
    }
  });
});
