// The UI locale, persisted outside react-admin's store (which is cleared on logout).

export type UiLocale = 'zh-CN' | 'en';

const STORAGE_KEY = 'sealflow.locale';

const isUiLocale = (value: unknown): value is UiLocale => value === 'zh-CN' || value === 'en';

let current: UiLocale = readStoredLocale();

function readStoredLocale(): UiLocale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isUiLocale(stored) ? stored : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const getUiLocale = (): UiLocale => current;

export function setUiLocale(locale: string): UiLocale {
  current = isUiLocale(locale) ? locale : 'zh-CN';
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, current);
  } catch {
    // storage unavailable (private mode): keep the in-memory value
  }
  return current;
}

/** BCP 47 tag for Intl date/number formatting. */
export const intlLocale = (locale: string = current): string => (locale === 'en' ? 'en-GB' : 'zh-CN');
