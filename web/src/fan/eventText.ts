// Words for an event's status and availability, shared by the list and the event page.

import type { BoxEvent } from '../api/types';
import { formatDateTime } from '../lib/dates';

export function statusText(event: BoxEvent, nowMs = Date.now()): string {
  switch (event.status) {
    case 'on_sale':
      return Date.parse(event.sale_starts_at) > nowMs ? `On sale from ${formatDateTime(event.sale_starts_at)}` : 'On sale';
    case 'scheduled':
      return 'Not on sale yet';
    case 'paused':
      return 'Sale paused';
    case 'sold_out':
      return 'Sold out';
    case 'cancelled':
      return 'Cancelled';
    default:
      return event.status;
  }
}

export function availabilityText(available: number, capacity: number): string {
  if (available <= 0) return 'Sold out';
  if (available === capacity) return `${available} ${available === 1 ? 'ticket' : 'tickets'} available`;
  return `${available} of ${capacity} tickets available`;
}

export function canBuy(event: BoxEvent, nowMs = Date.now()): boolean {
  return event.status === 'on_sale' && Date.parse(event.sale_starts_at) <= nowMs;
}
