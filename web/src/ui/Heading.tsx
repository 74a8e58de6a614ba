// Page headings take focus after an in-app navigation (see App), so screen reader users hear
// where they landed; tabindex -1 makes them focusable without adding a tab stop.

import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function PageHeading({ children, title }: { children: ComponentChildren; title?: string }) {
  useEffect(() => {
    const text = title ?? (typeof children === 'string' ? children : undefined);
    document.title = text ? `${text} · Boxoffice` : 'Boxoffice';
  }, [title, children]);
  return (
    <h1 tabIndex={-1} class="page-heading">
      {children}
    </h1>
  );
}
