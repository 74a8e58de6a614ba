// Money travels as integer minor units (cents) with an ISO 4217 currency; these helpers are
// the only places that turn it into text or back, so rounding lives in one spot.

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amountMinor: number, currency: string): string {
  return formatterFor(currency).format(amountMinor / 10 ** minorDigits(currency));
}

/**
 * Reads an organizer's price typed in major units ("45", "45.5", "45,50") as minor units.
 * Returns null for anything that is not a non-negative amount with at most the currency's
 * decimals, so the form can say so before the server does.
 */
export function parseMajorAmount(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const normalized = text.trim().replace(',', '.');
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{0,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(normalized)) return null;
  const [whole = '0', fraction = ''] = normalized.split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** The cheapest price of an event, for "from €25.00" in listings. */
export function lowestPrice(prices: Record<string, number>): number | null {
  const amounts = Object.values(prices);
  return amounts.length === 0 ? null : Math.min(...amounts);
}
