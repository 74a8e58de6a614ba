// `?next=` after log-in must stay on this site: an absolute or protocol-relative URL there
// would turn the log-in page into an open redirect.
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
