// When the server sheds load (429/503 with Retry-After) the request is retried by itself
// after the wait it asked for. While any request waits, the shell shows one notice counting
// down the longest wait, so the person sees why nothing happens instead of a dead page.

type Listener = (secondsLeft: number | null) => void;

const deadlines = new Map<number, number>();
const listeners = new Set<Listener>();
let nextWaitId = 1;
let ticker: ReturnType<typeof setInterval> | undefined;

export function busySecondsLeft(nowMs = Date.now()): number | null {
  let latest = 0;
  for (const deadline of deadlines.values()) latest = Math.max(latest, deadline);
  return deadlines.size === 0 ? null : Math.max(0, Math.ceil((latest - nowMs) / 1000));
}

export function subscribeBusy(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function publish(): void {
  const seconds = busySecondsLeft();
  for (const listener of listeners) listener(seconds);
  if (deadlines.size === 0 && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  } else if (deadlines.size > 0 && ticker === undefined) {
    ticker = setInterval(publish, 250);
  }
}

/** Waits `seconds` while the busy notice counts down; rejects at once if `signal` aborts. */
export function waitWhileBusy(seconds: number, signal?: AbortSignal): Promise<void> {
  const id = nextWaitId++;
  deadlines.set(id, Date.now() + seconds * 1000);
  publish();
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      deadlines.delete(id);
      publish();
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    const timer = setTimeout(() => {
      finish();
      resolve();
    }, seconds * 1000);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
