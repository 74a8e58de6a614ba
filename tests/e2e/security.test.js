// How the storefront is served: the Content-Security-Policy (no inline script, enforced by
// the browser), the other security headers, caching of index.html and of the hashed
// assets, and History API deep links that reload into the single-page app.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixture } from './harness/fixture.js';
import { assertClean, newContext, watch } from './harness/browser.js';
import { expectUrl, expectVisible } from './harness/expect.js';

let fx;
let show;

function directives(csp) {
  const map = new Map();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

async function get(path) {
  const res = await fetch(new URL(path, fx.server.url), { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function assertHtmlHeaders(res, path) {
  assert.equal(res.status, 200, `${path}: status`);
  assert.match(res.headers.get('content-type') || '', /^text\/html/, `${path}: content type`);
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${path}: no Content-Security-Policy header`);
  const d = directives(csp);
  assert.ok(d.has('script-src'), `${path}: CSP without script-src: ${csp}`);
  assert.ok(d.get('script-src').includes("'self'"), `${path}: script-src without 'self': ${csp}`);
  for (const name of ['script-src', 'style-src', 'default-src']) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:']) {
      assert.ok(!(d.get(name) || []).includes(bad), `${path}: ${name} allows ${bad}: ${csp}`);
    }
  }
  assert.deepEqual(d.get('default-src'), ["'self'"], `${path}: default-src: ${csp}`);
  assert.deepEqual(d.get('object-src'), ["'none'"], `${path}: object-src: ${csp}`);
  assert.deepEqual(d.get('base-uri'), ["'none'"], `${path}: base-uri: ${csp}`);
  assert.deepEqual(d.get('connect-src'), ["'self'"], `${path}: connect-src: ${csp}`);
  const frameAncestorsNone = (d.get('frame-ancestors') || []).join(' ') === "'none'";
  const xfo = (res.headers.get('x-frame-options') || '').toUpperCase();
  assert.ok(frameAncestorsNone || xfo === 'DENY', `${path}: framing allowed (CSP ${csp}, X-Frame-Options ${xfo})`);
  assert.equal((res.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${path}: nosniff`);
  const referrer = (res.headers.get('referrer-policy') || '').toLowerCase();
  assert.ok(referrer && !referrer.includes('unsafe-url') && referrer !== 'no-referrer-when-downgrade',
    `${path}: Referrer-Policy ${referrer}`);
  assert.match(res.headers.get('cache-control') || '', /no-cache|no-store/, `${path}: index.html must be revalidated`);
}

describe('security and serving', () => {
  before(async () => {
    fx = await startFixture();
    show = await fx.api.eventOnSale(fx.admin, { title: 'Header Check Live' });
  });
  after(async () => {
    if (fx) await fx.close();
  });

  it('serves index.html with a strict CSP and the security headers, on every app path', { timeout: 60_000 }, async () => {
    const index = await get('/');
    assertHtmlHeaders(index, '/');
    for (const path of [`/events/${show.event.id}`, '/login?next=/tickets', '/admin/events/new', '/orders/nope', '/tickets']) {
      const res = await get(path);
      assertHtmlHeaders(res, path);
      assert.equal(res.text, index.text, `${path} must answer index.html`);
    }

    // No inline script, inline event handler or inline style in the HTML.
    const html = index.text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length > 0, 'index.html loads no script');
    for (const [tag, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc\s*=/, `inline script in index.html: ${tag.slice(0, 120)}`);
      assert.equal(body.trim(), '', `script with a body in index.html: ${tag.slice(0, 120)}`);
      const type = attrs.match(/\btype\s*=\s*["']?([^"'\s>]+)/i);
      assert.ok(!type || /^(module|text\/javascript)$/i.test(type[1]), `unexpected script type: ${tag.slice(0, 120)}`);
    }
    assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, 'inline event handler attribute in index.html');
    assert.doesNotMatch(html, /<[a-z][^>]*\sstyle\s*=/i, 'inline style attribute in index.html');
    assert.doesNotMatch(html, /<style\b/i, 'inline <style> in index.html');
    assert.doesNotMatch(html, /javascript:/i, 'javascript: URL in index.html');

    // Outside the app: the API, operations and missing files are not index.html.
    const api404 = await get('/api/v1/no-such-thing');
    assert.equal(api404.status, 404);
    assert.equal(JSON.parse(api404.text).error.code, 'not_found');
    assert.equal((await get('/healthz')).status, 200);
    const missing = await get('/assets/missing-0123abcd.js');
    assert.equal(missing.status, 404, 'a missing asset must be a 404, not index.html');
    assert.notEqual(missing.text, html);
  });

  it('caches hashed assets for good and revalidates index.html', { timeout: 60_000 }, async () => {
    const index = await get('/');
    const assets = [...new Set([...index.text.matchAll(/(?:src|href)\s*=\s*["']([^"']*\/assets\/[^"']+)["']/gi)]
      .map((m) => new URL(m[1], fx.server.url).pathname))];
    assert.ok(assets.some((a) => a.endsWith('.js')), `no /assets/*.js in index.html: ${assets}`);
    for (const path of assets) {
      assert.match(path, /^\/assets\/[^/]*[-.][A-Za-z0-9_-]{6,}\.[a-z0-9]+$/, `asset name without a content hash: ${path}`);
      const res = await get(path);
      assert.equal(res.status, 200, `${path}: status`);
      const cache = res.headers.get('cache-control') || '';
      assert.match(cache, /\bimmutable\b/, `${path}: Cache-Control ${cache}`);
      const maxAge = Number((cache.match(/max-age=(\d+)/) || [])[1] || 0);
      assert.ok(maxAge >= 30 * 86400, `${path}: max-age ${maxAge}`);
      assert.equal((res.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${path}: nosniff`);
      if (path.endsWith('.js')) assert.match(res.headers.get('content-type') || '', /javascript/, `${path}: type`);
      if (path.endsWith('.css')) assert.match(res.headers.get('content-type') || '', /^text\/css/, `${path}: type`);
    }
    assert.match(index.headers.get('cache-control') || '', /no-cache|no-store/);
  });

  it('blocks inline script in the browser and loads the app without any violation', { timeout: 60_000 }, async () => {
    const context = await newContext(fx.browser, fx.server);
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await page.goto(`/events/${show.event.id}`);
      await expectVisible(page.getByRole('heading', { level: 1, name: show.event.title }));
      assertClean(problems, 'event page');
      const outcome = await page.evaluate(() => new Promise((resolve) => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__inlineScriptRan = true;';
        document.head.appendChild(script);
        // Later, outside this evaluation (DevTools may allow eval while it evaluates).
        let evalRan = null;
        setTimeout(() => {
          try {
            evalRan = (0, eval)('1 + 1') === 2;
          } catch {
            evalRan = false;
          }
        }, 0);
        setTimeout(() => resolve({ ran: window.__inlineScriptRan === true, evalRan, violations }), 200);
      }));
      assert.equal(outcome.ran, false, 'an inline script ran despite the CSP');
      assert.equal(outcome.evalRan, false, 'eval ran despite the CSP');
      assert.ok(outcome.violations.some((v) => v.startsWith('script-src')), `no violation reported: ${outcome.violations}`);
    } finally {
      await context.close();
    }
  });

  it('reloads a deep link into the app and keeps history navigation', { timeout: 60_000 }, async () => {
    const context = await newContext(fx.browser, fx.server);
    const page = await context.newPage();
    const problems = watch(page, fx.server);
    try {
      await page.goto(`/events/${show.event.id}`);
      const title = page.getByRole('heading', { level: 1, name: show.event.title });
      await expectVisible(title);
      await page.reload();
      await expectVisible(title);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events', exact: true }).click();
      await expectUrl(page, /^\/$/);
      await expectVisible(page.getByRole('link', { name: show.event.title }));
      await page.goBack();
      await expectUrl(page, new RegExp(`^/events/${show.event.id}$`));
      await expectVisible(title);
      await page.goForward();
      await expectUrl(page, /^\/$/);
      await page.goto('/signup');
      await page.reload();
      await expectVisible(page.getByRole('heading', { level: 1, name: 'Sign up' }));
      assertClean(problems, 'deep links');
    } finally {
      await context.close();
    }
  });
});
