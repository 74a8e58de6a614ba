// Fast data setup through the HTTP API (bearer tokens), so that the browser is used only
// for what a test is about.

import assert from 'node:assert/strict';
import { DEFAULT_PASSWORD, unique, uniqueEmail } from './server.js';

export class ApiError extends Error {
  constructor(method, path, res) {
    super(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    this.res = res;
  }
}

export function isoIn(seconds) {
  return new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Api {
  constructor(baseUrl) {
    this.base = baseUrl;
  }

  // -> {status, headers, body}; body is parsed JSON when the answer is JSON, else text.
  async request(method, path, { body, token, headers = {}, raw } = {}) {
    const init = { method, headers: { ...headers }, redirect: 'manual' };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (raw !== undefined) {
      init.body = raw;
    } else if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const url = path.startsWith('/api/') || !path.startsWith('/') || path.startsWith('/posters') ||
      path.startsWith('/healthz') ? path : `/api/v1${path}`;
    const res = await fetch(new URL(url, this.base), { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') || '').includes('json') && text) {
      parsed = JSON.parse(text);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  // Like request(), but fails unless the status is `expect`; returns the body.
  async call(method, path, expect, options) {
    const res = await this.request(method, path, options);
    if (res.status !== expect) throw new ApiError(method, path, res);
    return res.body;
  }

  async signup({ email = uniqueEmail('fan'), password = DEFAULT_PASSWORD, name = 'Fan ' + unique('n').slice(-5) } = {}) {
    const body = await this.call('POST', '/auth/signup', 201, { body: { email, password, name } });
    return { email, password, name, token: body.token, csrf: body.csrf_token, user: body.user };
  }

  async login({ email, password = DEFAULT_PASSWORD, name, role }) {
    const body = await this.call('POST', '/auth/login', 200, { body: { email, password } });
    return { email, password, name: name || body.user.name, role: role || body.user.role,
      token: body.token, csrf: body.csrf_token, user: body.user };
  }

  async createVenue(admin, venue) {
    return (await this.call('POST', '/admin/venues', 201, { token: admin.token, body: venue })).venue;
  }

  async createEvent(admin, event) {
    return (await this.call('POST', '/admin/events', 201, { token: admin.token, body: event })).event;
  }

  async setStatus(admin, eventId, status) {
    return (await this.call('PATCH', `/admin/events/${eventId}`, 200, { token: admin.token, body: { status } })).event;
  }

  async event(eventId) {
    return (await this.call('GET', `/events/${eventId}`, 200)).event;
  }

  async seats(eventId) {
    return (await this.call('GET', `/events/${eventId}/seats`, 200)).seats;
  }

  async sales(admin, eventId) {
    return this.call('GET', `/admin/events/${eventId}/sales`, 200, { token: admin.token });
  }

  async hold(user, eventId, what) {
    const body = Array.isArray(what) ? { seats: what } : what;
    return (await this.call('POST', `/events/${eventId}/holds`, 201, { token: user.token, body })).hold;
  }

  async releaseHold(user, holdId) {
    await this.call('DELETE', `/holds/${holdId}`, 204, { token: user.token });
  }

  async pay(user, holdId, paymentToken = 'tok_visa') {
    return (await this.call('POST', '/orders', 201, {
      token: user.token,
      headers: { 'Idempotency-Key': unique('order') },
      body: { hold_id: holdId, payment: { method: 'test', token: paymentToken } },
    })).order;
  }

  async orders(user) {
    return (await this.call('GET', '/orders', 200, { token: user.token })).orders;
  }

  async order(user, orderId) {
    return (await this.call('GET', `/orders/${orderId}`, 200, { token: user.token })).order;
  }

  async refund(admin, orderId) {
    return (await this.call('POST', `/admin/orders/${orderId}/refund`, 200, { token: admin.token, body: {} })).order;
  }

  async checkin(staff, code) {
    return this.request('POST', '/checkin', { token: staff.token, body: { code } });
  }

  // A venue + event on sale in one go. `sections`: [{name, category, rows, seats}] (rows
  // labelled 1..rows), `areas`: [{name, category, capacity}], `prices`: {category: cents}.
  async eventOnSale(admin, { title = 'Show ' + unique('t').slice(-6), artist = 'The Testers',
    sections = [{ name: 'A', category: 'stalls', rows: 4, seats: 10 }], areas = [],
    prices = null, holdSeconds = 600, maxTickets = 8, startsInDays = 30, venueName = null } = {}) {
    const venue = await this.createVenue(admin, {
      name: venueName || 'Hall ' + unique('v').slice(-6),
      sections: sections.map((s) => ({
        name: s.name,
        category: s.category,
        rows: Array.from({ length: s.rows }, (_, i) => ({ label: String(i + 1), seats: s.seats })),
      })),
      areas: areas.map((a) => ({ name: a.name, category: a.category, capacity: a.capacity })),
    });
    const categories = new Set([...sections, ...areas].map((x) => x.category));
    const allPrices = prices || Object.fromEntries([...categories].map((c, i) => [c, 4500 - i * 1000]));
    const event = await this.createEvent(admin, {
      venue_id: venue.id,
      title,
      artist,
      starts_at: isoIn(startsInDays * 86400),
      currency: 'EUR',
      prices: allPrices,
      max_tickets_per_order: maxTickets,
      hold_seconds: holdSeconds,
    });
    const onSale = await this.setStatus(admin, event.id, 'on_sale');
    assert.equal(onSale.status, 'on_sale');
    return { venue, event: onSale, seats: await this.seats(event.id) };
  }
}

// Seat helpers over the GET /seats list.
export function seatAt(seats, section, row, number) {
  const seat = seats.find((s) => s.section === section && String(s.row) === String(row) && s.number === number);
  assert.ok(seat, `no seat ${section}/${row}/${number}`);
  return seat;
}

// A loose pattern for a seat's text in the selection / hold lists ("Section A · Row 1 · Seat 5").
export function seatTextPattern(seat) {
  return new RegExp(`\\b${escapeRe(seat.section)}\\b.*\\brow\\s*${escapeRe(String(seat.row))}\\b.*\\bseat\\s*${seat.number}\\b`, 'i');
}

export function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
