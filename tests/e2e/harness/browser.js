// Debian's chromium, headless, through playwright-core; page helpers shared by the tests:
// a watch on page errors and Content-Security-Policy violations, screenshots at phone and
// desktop widths, seat map clicks through window.boxofficeSeatMap, and keyboard focus.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './server.js';

export const CHROMIUM = process.env.BOXOFFICE_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
// Expect timeouts: generous for a debug build on a shared two-core machine, but bounded.
export const UI_TIMEOUT = 15_000;

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/install-deps --test)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

// A fresh browser context (own cookies and storage) on the server, optionally signed in
// as `user` (the API's session token as the bo_session cookie, as a log-in would set it).
export async function newContext(browser, server, { user = null, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ baseURL: server.url, viewport, deviceScaleFactor: 1 });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(30_000);
  if (user) await signIn(context, server, user);
  return context;
}

export async function signIn(context, server, user) {
  await context.addCookies([{ name: 'bo_session', value: user.token, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
}

// Records uncaught page errors, CSP violations (Chromium reports those on the console) and
// requests to anything but the server under test.
export function watch(page, server) {
  const problems = { pageErrors: [], cspViolations: [], offOrigin: [] };
  page.on('pageerror', (err) => problems.pageErrors.push(String(err && err.stack || err)));
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy/i.test(text)) problems.cspViolations.push(text);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(server.url + '/') && !/^(data|blob):/.test(url)) problems.offOrigin.push(url);
  });
  return problems;
}

export function assertClean(problems, what = 'page') {
  assert.deepEqual(problems.pageErrors, [], `${what}: uncaught errors in the page`);
  assert.deepEqual(problems.cspViolations, [], `${what}: Content-Security-Policy violations`);
  assert.deepEqual(problems.offOrigin, [], `${what}: requests to other origins`);
}

export function screenshotsEnabled() {
  return !['', '0', undefined].includes(process.env.BOXOFFICE_E2E_SCREENSHOTS);
}

async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// docs/screenshots/NAME-phone.png (390×844) and NAME-desktop.png (1280×800), full page;
// only when BOXOFFICE_E2E_SCREENSHOTS is set (the embedded run), so that two backends
// running at once never write the same files. `ready`: a locator to wait for at each width.
export async function snap(page, name, { ready = null } = {}) {
  if (!screenshotsEnabled()) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const [suffix, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    if (ready) await ready.first().waitFor({ state: 'visible' });
    await settle(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${suffix}.png`), fullPage: true,
      animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(original);
  await settle(page);
}

// --------------------------------------------------------------------------- seat map

export async function waitForSeatMap(page, seatCount, timeout = 30_000) {
  await page.waitForFunction((n) => {
    const map = window.boxofficeSeatMap;
    return !!map && map.seatCount === n && map.frames > 0;
  }, seatCount, { timeout, polling: 50 });
}

export async function seatStatus(page, seatId) {
  return page.evaluate((id) => window.boxofficeSeatMap.statusOf(id), seatId);
}

// Viewport coordinates of the seat's centre, zooming in ("Zoom in") while the map says it
// is not visible, and scrolling the page so that the point is inside the window.
export async function seatPoint(page, seatId) {
  await page.getByTestId('seat-map').locator('canvas').scrollIntoViewIfNeeded();
  for (let zooms = 0; zooms <= 8; zooms += 1) {
    let point = await page.evaluate((id) => window.boxofficeSeatMap.seatCenter(id), seatId);
    if (point) {
      const height = page.viewportSize().height;
      if (point.y < 0 || point.y >= height) {
        await page.evaluate((dy) => window.scrollBy(0, dy), point.y - height / 2);
        point = await page.evaluate((id) => window.boxofficeSeatMap.seatCenter(id), seatId);
      }
      assert.ok(point, `seat ${seatId} left the view after scrolling`);
      return point;
    }
    await page.getByRole('button', { name: 'Zoom in', exact: true }).click();
    await settle(page);
  }
  throw new Error(`seat ${seatId}: seatCenter() stayed null after zooming in 8 times`);
}

export async function clickSeat(page, seatId) {
  const point = await seatPoint(page, seatId);
  await page.mouse.click(point.x, point.y);
}

// --------------------------------------------------------------------------- keyboard

export async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

// Presses Tab until `locator` has the focus (at most `max` times).
export async function tabTo(page, locator, max = 80) {
  for (let i = 0; i < max; i += 1) {
    if (await isFocused(locator)) return;
    await page.keyboard.press('Tab');
  }
  if (await isFocused(locator)) return;
  const active = await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 200));
  throw new Error(`could not reach ${locator} with ${max} Tab presses (focus is on ${active})`);
}

export async function rafFrames(page, n = 2) {
  await page.evaluate((count) => new Promise((resolve) => {
    let left = count;
    const step = () => (--left <= 0 ? resolve() : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), n);
}
