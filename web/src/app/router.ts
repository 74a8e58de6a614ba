// A History-API router small enough to read in one sitting: the app listens to one
// "location changed" signal, and same-site link clicks are turned into pushState.

import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  query: URLSearchParams;
}

type Listener = () => void;
const listeners = new Set<Listener>();

function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

function notify(): void {
  for (const listener of listeners) listener();
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

/** Matches "/events/:id" style patterns; returns the named parts or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i += 1) {
    const want = patternParts[i] as string;
    const got = pathParts[i] as string;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return null;
      }
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/** Routes clicks on same-origin links inside the app without a page load. */
export function interceptLinks(root: HTMLElement): void {
  window.addEventListener('popstate', notify);
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || !isPlainLeftClick(event)) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    // API files (QR codes, posters) are real documents, not app pages.
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/posters/')) return;
    const samePage = url.pathname + url.search === window.location.pathname + window.location.search;
    // In-page anchors (the skip link) keep the browser's own jump and focus behaviour.
    if (samePage && url.hash) return;
    event.preventDefault();
    if (!samePage) navigate(url.pathname + url.search + url.hash);
  });
}
