// What the door sees for each check-in answer: one word-sized verdict, unmistakable at a
// glance, with the detail that matters for that verdict.

import { ApiError, describeError } from '../api/errors';
import type { Ticket } from '../api/types';
import { seatLabel } from '../fan/seatText';
import { formatTimeWithSeconds } from '../lib/dates';

export type Verdict = 'admitted' | 'already' | 'invalid' | 'void' | 'error';

export interface CheckinResult {
  verdict: Verdict;
  headline: string;
  detail: string;
}

export function admitted(ticket: Ticket): CheckinResult {
  return { verdict: 'admitted', headline: 'ADMITTED', detail: seatLabel(ticket.seat) };
}

export function fromFailure(error: unknown): CheckinResult {
  if (error instanceof ApiError) {
    const ticket = error.details.ticket as Ticket | undefined;
    const seat = ticket?.seat ? seatLabel(ticket.seat) : '';
    if (error.code === 'already_checked_in') {
      const at = typeof error.details.checked_in_at === 'string' ? error.details.checked_in_at : null;
      return {
        verdict: 'already',
        headline: 'ALREADY CHECKED IN',
        detail: [at ? `at ${formatTimeWithSeconds(at)}` : '', seat].filter(Boolean).join(' · '),
      };
    }
    if (error.code === 'ticket_void') {
      return { verdict: 'void', headline: 'VOID TICKET', detail: seat ? `${seat} · refunded` : 'This ticket was refunded.' };
    }
    if (error.code === 'invalid_code' || error.code === 'invalid_request') {
      return { verdict: 'invalid', headline: 'INVALID TICKET', detail: 'Not a Boxoffice ticket, or a damaged code.' };
    }
  }
  return { verdict: 'error', headline: 'COULD NOT CHECK', detail: `${describeError(error)} Scan again.` };
}
