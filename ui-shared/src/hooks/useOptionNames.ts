import { useEffect, useState } from 'react';
import { useLocaleState } from 'react-admin';
import { apiFetch } from '../api/apiFetch';
import { optionName, type NamedOption } from '../types';

type OptionsUrl = '/api/config/seal-types' | '/api/config/business-types';

/** Configuration barely changes: one request per list and page load, shared by every row. */
const cache = new Map<OptionsUrl, Promise<NamedOption[]>>();

function loadOptions(url: OptionsUrl): Promise<NamedOption[]> {
  let options = cache.get(url);
  if (!options) {
    options = apiFetch<NamedOption[]>(url);
    cache.set(url, options);
    options.catch(() => cache.delete(url));
  }
  return options;
}

/**
 * Configured option codes (seal types, business types) → names in the UI locale; `fallback`
 * holds names the API sent along (zh-CN), shown until the options are loaded.
 */
export function useOptionNames(url: OptionsUrl): (codes: readonly string[], fallback?: readonly string[]) => string[] {
  const [locale] = useLocaleState();
  const [options, setOptions] = useState<NamedOption[]>();
  useEffect(() => {
    let live = true;
    loadOptions(url).then(
      (o) => live && setOptions(o),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [url]);
  return (codes, fallback = []) =>
    codes.map((code, i) => {
      const o = options?.find((t) => t.code === code);
      return o ? optionName(o, locale) : (fallback[i] ?? code);
    });
}
