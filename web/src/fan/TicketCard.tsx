// One ticket: its seat, its code in text (for typing at the door if the QR will not scan)
// and its QR code, which the API draws as SVG for the ticket's owner.

import { ticketQrUrl } from '../api/endpoints';
import type { Ticket } from '../api/types';
import { seatLabel } from './seatText';

const STATUS_TEXT: Record<Ticket['status'], string> = {
  valid: 'Valid',
  checked_in: 'Checked in',
  void: 'Void (refunded)',
};

export function TicketCard({ ticket, showQr = true }: { ticket: Ticket; showQr?: boolean }) {
  return (
    <li class={`ticket ticket--${ticket.status}`}>
      {showQr ? (
        <img class="ticket__qr" src={ticketQrUrl(ticket.id)} width={160} height={160} alt={`QR code for ticket ${seatLabel(ticket.seat)}`} />
      ) : null}
      <div class="ticket__body">
        <p class="ticket__seat">{seatLabel(ticket.seat)}</p>
        <p class="ticket__status">
          <span class={`badge badge--${ticket.status}`}>{STATUS_TEXT[ticket.status]}</span>
        </p>
        <p class="ticket__code-label">Ticket code</p>
        <code class="ticket__code" data-testid="ticket-code">
          {ticket.code}
        </code>
      </div>
    </li>
  );
}
