// One function per API operation the pages use, so paths and body shapes live in one file.

import { api, request, type Answer } from './client';
import type {
  AvailabilityAnswer,
  BoxEvent,
  EventDraft,
  EventStatus,
  Hold,
  Order,
  Sales,
  Seat,
  SessionAnswer,
  Ticket,
  VenueDraft,
  VenueSummary,
} from './types';

const id = encodeURIComponent;

// Session
export const signUp = (body: { name: string; email: string; password: string }) =>
  api<SessionAnswer>('POST', '/auth/signup', { json: body });
export const logIn = (body: { email: string; password: string }) =>
  api<SessionAnswer>('POST', '/auth/login', { json: body });
// Ending a session twice ends it once.
export const logOut = () => api<void>('POST', '/auth/logout', { retryWhenBusy: true });
export const readSession = () => api<SessionAnswer>('GET', '/me');

// Catalog
export const listEvents = (signal?: AbortSignal) =>
  api<{ events: BoxEvent[] }>('GET', '/events', signal ? { signal } : {});
export const readEvent = (eventId: string, signal?: AbortSignal) =>
  api<{ event: BoxEvent }>('GET', `/events/${id(eventId)}`, signal ? { signal } : {});
export const listSeats = (eventId: string, signal?: AbortSignal) =>
  api<{ seats: Seat[] }>('GET', `/events/${id(eventId)}/seats`, signal ? { signal } : {});
export const readAvailability = (eventId: string, since: string | null, signal?: AbortSignal) =>
  api<AvailabilityAnswer>(
    'GET',
    `/events/${id(eventId)}/availability${since ? `?since=${id(since)}` : ''}`,
    signal ? { signal } : {},
  );

// Holds and orders
// A hold is all or nothing and replaces the caller's previous hold on the server, so sending
// it again after a "very busy" answer cannot hold anything twice.
export const holdSeats = (eventId: string, seatIds: string[], signal?: AbortSignal): Promise<Answer<{ hold: Hold }>> =>
  request('POST', `/events/${id(eventId)}/holds`, { json: { seats: seatIds }, retryWhenBusy: true, ...(signal ? { signal } : {}) });
export const holdBestAvailable = (
  eventId: string,
  category: string,
  quantity: number,
  signal?: AbortSignal,
): Promise<Answer<{ hold: Hold }>> =>
  request('POST', `/events/${id(eventId)}/holds`, { json: { category, quantity }, retryWhenBusy: true, ...(signal ? { signal } : {}) });
export const releaseHold = (holdId: string, signal?: AbortSignal) =>
  api<void>('DELETE', `/holds/${id(holdId)}`, signal ? { signal } : {});
export const placeOrder = (
  holdId: string,
  token: string,
  idempotencyKey: string,
  options: { signal?: AbortSignal; retryDeadlineMs?: number } = {},
) =>
  api<{ order: Order }>('POST', '/orders', {
    json: { hold_id: holdId, payment: { method: 'test', token } },
    headers: { 'Idempotency-Key': idempotencyKey },
    ...options,
  });
export const listOrders = (signal?: AbortSignal) =>
  api<{ orders: Order[] }>('GET', '/orders', signal ? { signal } : {});
export const readOrder = (orderId: string, signal?: AbortSignal) =>
  api<{ order: Order }>('GET', `/orders/${id(orderId)}`, signal ? { signal } : {});
export const ticketQrUrl = (ticketId: string) => `/api/v1/tickets/${id(ticketId)}/qr.svg`;

// Door
export const checkIn = (code: string) => api<{ ticket: Ticket; result: 'admitted' }>('POST', '/checkin', { json: { code } });

// Admin
export const listVenues = (signal?: AbortSignal) =>
  api<{ venues: VenueSummary[] }>('GET', '/admin/venues', signal ? { signal } : {});
export const createVenue = (draft: VenueDraft) =>
  api<{ venue: { id: string; name: string; capacity: number } }>('POST', '/admin/venues', { json: draft });
export const listAllEvents = (signal?: AbortSignal) =>
  api<{ events: BoxEvent[] }>('GET', '/admin/events', signal ? { signal } : {});
export const createEvent = (draft: EventDraft) => api<{ event: BoxEvent }>('POST', '/admin/events', { json: draft });
export const setEventStatus = (eventId: string, status: Extract<EventStatus, 'on_sale' | 'paused' | 'cancelled'>) =>
  api<{ event: BoxEvent }>('PATCH', `/admin/events/${id(eventId)}`, { json: { status } });
export const uploadPoster = (eventId: string, file: File) =>
  api<{ event: BoxEvent }>('PUT', `/admin/events/${id(eventId)}/poster`, { blob: file, contentType: file.type });
export const readSales = (eventId: string, signal?: AbortSignal) =>
  api<Sales>('GET', `/admin/events/${id(eventId)}/sales`, signal ? { signal } : {});
export const ordersByEmail = (email: string) =>
  api<{ orders: Order[] }>('GET', `/admin/orders?email=${id(email)}`);
export const refundOrder = (orderId: string) => api<{ order: Order }>('POST', `/admin/orders/${id(orderId)}/refund`);
