// Waiting assertions for playwright-core locators (the library has no `expect`): each polls
// until the condition holds or a bounded timeout passes, then fails with what it last saw.

import { UI_TIMEOUT } from './browser.js';

export async function eventually(probe, { timeout = UI_TIMEOUT, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last && last.ok !== false) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${message}; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// Resolves with the text once `locator` (first match) shows text matching `pattern`.
export async function expectText(locator, pattern, options = {}) {
  let seen = null;
  await eventually(async () => {
    seen = await locator.first().innerText({ timeout: 1000 });
    return { ok: pattern.test(seen), seen };
  }, { message: `${locator} to show ${pattern}`, ...options });
  return seen;
}

export async function expectCount(locator, count, options = {}) {
  await eventually(async () => {
    const n = await locator.count();
    return { ok: n === count, count: n };
  }, { message: `${locator} to match ${count} elements`, ...options });
}

export async function expectVisible(locator, options = {}) {
  await locator.first().waitFor({ state: 'visible', timeout: options.timeout || UI_TIMEOUT });
}

export async function expectHidden(locator, options = {}) {
  await locator.first().waitFor({ state: 'hidden', timeout: options.timeout || UI_TIMEOUT });
}

export async function expectAttribute(locator, name, pattern, options = {}) {
  let seen = null;
  await eventually(async () => {
    seen = await locator.first().getAttribute(name, { timeout: 1000 });
    return { ok: seen !== null && pattern.test(seen), seen };
  }, { message: `${locator} [${name}] to match ${pattern}`, ...options });
  return seen;
}

export async function expectUrl(page, pattern, options = {}) {
  await eventually(async () => ({ ok: pattern.test(new URL(page.url()).pathname + new URL(page.url()).search), url: page.url() }),
    { message: `the URL to match ${pattern}`, ...options });
  return new URL(page.url());
}
