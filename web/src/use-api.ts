import { useCallback, useEffect, useState } from 'react';
import { getJson } from './api';

/** State of one GET: data, error (an ApiError or network error), loading. */
export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Fetches a JSON route when `path` changes (nothing when it is null). */
export function useApi<T>(path: string | null): ApiState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    getJson<T>(path, ac.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!ac.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => ac.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
