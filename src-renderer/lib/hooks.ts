import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

/** `value`, once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** Runs `load` whenever `deps` change and keeps only the answer to the latest run. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loadable<T> {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setResult((previous) => (previous.state === 'ready' ? previous : { state: 'loading' }));
    loadRef.current().then(
      (value) => current && setResult({ state: 'ready', value }),
      (error: unknown) => current && setResult({ state: 'error', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return result;
}
