// Shapes of the JSON the API answers (docs/openapi.yaml), only as far as the pages read them.

export type Role = 'customer' | 'staff' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface SessionAnswer {
  user: User;
  csrf_token: string;
}

export type EventStatus = 'scheduled' | 'on_sale' | 'paused' | 'sold_out' | 'cancelled';

export interface PosterVariant {
  width: number;
  height: number;
  type: string;
  url: string;
}

export interface Poster {
  url: string;
  variants: PosterVariant[];
}

export interface BoxEvent {
  id: string;
  title: string;
  artist: string;
  venue: { id: string; name: string };
  starts_at: string;
  sale_starts_at: string;
  status: EventStatus;
  currency: string;
  prices: Record<string, number>;
  max_tickets_per_order: number;
  hold_seconds: number;
  capacity: number;
  available: number;
  poster: Poster | null;
}

export type SeatStatusWord = 'available' | 'held' | 'sold';

/** A numbered seat, or a general-admission place (then `area` instead of section, row, number). */
export interface Seat {
  id: string;
  category: string;
  section?: string;
  row?: string;
  number?: number;
  area?: string;
  status?: SeatStatusWord;
}

export interface AvailabilityCounts {
  available: number;
  held: number;
  sold: number;
}

/** Full form (`statuses`) or delta form (`changes`), see the UI contract. */
export interface AvailabilityAnswer {
  version: string;
  since?: string;
  statuses?: string;
  changes?: Array<[number, string]>;
  counts?: AvailabilityCounts;
}

export interface Hold {
  id: string;
  event_id: string;
  seats: Seat[];
  expires_at: string;
  total: number;
  currency: string;
}

export type TicketStatus = 'valid' | 'checked_in' | 'void';

export interface Ticket {
  id: string;
  order_id: string;
  event_id: string;
  seat: Seat;
  code: string;
  status: TicketStatus;
}

export interface Order {
  id: string;
  event_id: string;
  status: 'confirmed' | 'refunded';
  tickets: Ticket[];
  total: number;
  currency: string;
  created_at: string;
}

export interface Sales {
  capacity: number;
  sold: number;
  held: number;
  available: number;
  orders: number;
  revenue: number;
  currency: string;
}

export interface VenueSummary {
  id: string;
  name: string;
  capacity: number;
  categories: string[];
}

export interface VenueDraft {
  name: string;
  sections: Array<{ name: string; category: string; rows: Array<{ label: string; seats: number }> }>;
  areas: Array<{ name: string; category: string; capacity: number }>;
}

export interface EventDraft {
  venue_id: string;
  title: string;
  artist: string;
  starts_at: string;
  sale_starts_at?: string;
  currency: string;
  prices: Record<string, number>;
  max_tickets_per_order: number;
  hold_seconds: number;
}
