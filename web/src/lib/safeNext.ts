// `?next=` after log-in must stay on this site: an absolute or protocol-relative URL there
// would turn the log-in page into an open redirect. Prefix checks alone miss what URL parsing
// does to the text (tabs and newlines dropped, backslashes read as slashes, dot segments
// collapsed), so the value is parsed exactly as the browser would and the result is checked.
export function safeNextPath(
  next: string | null | undefined,
  fallback = '/',
  origin: string = window.location.origin,
): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  // "/.//evil.example" parses to the path "//evil.example", which a later navigation would
  // read as another host.
  if (!url.pathname.startsWith('/') || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}

/** A log-in or sign-up link that comes back to `next` afterwards. */
export function withNext(page: '/login' | '/signup', next: string): string {
  return next === '/' ? page : `${page}?next=${encodeURIComponent(next)}`;
}
