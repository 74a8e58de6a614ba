// A labelled form control with its error next to it; the error is tied to the control with
// aria-describedby and aria-invalid so screen readers read it with the field.

import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'label'>;

export function Field({
  label,
  error,
  hint,
  ...input
}: InputProps & { label: string; error?: string | undefined; hint?: ComponentChildren }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} class="field__hint">
          {hint}
        </p>
      ) : null}
      <input id={id} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy || undefined} {...input} />
      <FieldError id={id} error={error} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  children,
  ...select
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'label'> & {
  label: string;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  const id = useId();
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

// Tied to its control by id (aria-describedby), so a screen reader reads it with the field.
function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} class="field__error">
      {error}
    </p>
  ) : null;
}
