// Keys for POST /orders. One key per payment attempt: a retry of the same attempt (after a
// 503 or a lost answer) reuses it so the server charges once; a new attempt gets a new one.
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; plain http on a LAN address still needs keys.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
