// A destructive action in two steps: the first button asks, the second does it, and
// "Keep" backs out. Focus moves to the confirm button so keyboard users see the question.

import { useEffect, useRef, useState } from 'preact/hooks';

export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
  disabled,
}: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [working, setWorking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" class="button button--danger-outline" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="confirm__question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        class="button button--danger"
        disabled={working}
        onClick={async () => {
          setWorking(true);
          try {
            await onConfirm();
          } finally {
            setWorking(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="button button--quiet" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}
