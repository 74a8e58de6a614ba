// Messages that need attention now (role=alert is announced at once) and quieter status lines.

import type { ComponentChildren } from 'preact';
import { describeError } from '../api/errors';

export function Alert({ children, tone = 'error' }: { children: ComponentChildren; tone?: 'error' | 'warning' | 'success' }) {
  return (
    <p role="alert" class={`alert alert--${tone}`}>
      {children}
    </p>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  return error ? <Alert>{describeError(error)}</Alert> : null;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" class="loading">
      {label}
    </p>
  );
}
