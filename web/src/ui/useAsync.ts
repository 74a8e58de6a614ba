// Loads data for a page and cancels the request when the page goes away or its inputs change,
// so an answer for an old page never lands in a new one. Data is tied to the inputs it was
// loaded for: when they change, the page sees no data (loading) rather than the old page's.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the data after a change made on the page (e.g. a status update). */
  setData: (data: T) => void;
}

interface Loaded<T> {
  deps: unknown[];
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

function sameDeps(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<Loaded<T>>(() => ({ deps, data: undefined, error: undefined, loading: true }));
  const [generation, setGeneration] = useState(0);
  const depsRef = useRef(deps);
  depsRef.current = deps;

  useEffect(() => {
    const controller = new AbortController();
    const forDeps = deps;
    // A reload keeps what is shown; new inputs start empty.
    setState((old) =>
      sameDeps(old.deps, forDeps)
        ? { ...old, error: undefined, loading: true }
        : { deps: forDeps, data: undefined, error: undefined, loading: true },
    );
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setState({ deps: forDeps, data: value, error: undefined, loading: false });
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setState((old) => ({ deps: forDeps, data: sameDeps(old.deps, forDeps) ? old.data : undefined, error: failure, loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((data: T) => setState((old) => ({ ...old, deps: depsRef.current, data, error: undefined })), []);
  // Until the effect for new inputs has run, the state still describes the old ones.
  const current = sameDeps(state.deps, deps);
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: current ? state.loading : true,
    reload,
    setData,
  };
}
