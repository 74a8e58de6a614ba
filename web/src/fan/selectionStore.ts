// Picks survive the trip to the log-in page in sessionStorage: seat IDs only, which are
// public (they are in the seat map) and so safe there, unlike session or CSRF tokens.

const key = (eventId: string) => `boxoffice.selection.${eventId}`;

export function saveSelection(eventId: string, seatIds: string[]): void {
  try {
    if (seatIds.length) sessionStorage.setItem(key(eventId), JSON.stringify(seatIds));
    else sessionStorage.removeItem(key(eventId));
  } catch {
    // Storage can be disabled or full; the selection is then only lost on reload.
  }
}

export function loadSelection(eventId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key(eventId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
