import { useCallback, useEffect, useState } from 'react';
import { apiFetch } from '../api/apiFetch';

export interface ApiGetState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** GET a JSON endpoint; refetches when `url` or `version` changes (pass null to skip). */
export function useApiGet<T>(url: string | null, version: unknown = 0): ApiGetState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(url !== null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    setLoading(true);
    apiFetch<T>(url, { signal: controller.signal })
      .then((result) => {
        setData(result);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [url, version, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
