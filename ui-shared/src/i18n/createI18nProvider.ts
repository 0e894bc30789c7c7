// zh-CN first, English second; the chosen locale is persisted (see api/locale.ts).
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { I18nProvider, TranslationMessages } from 'react-admin';
import { getUiLocale, setUiLocale } from '../api/locale';
import raChineseMessages from './raChineseMessages';
import { sharedEn, sharedZh } from './sharedMessages';

type Messages = Record<string, unknown>;

const isObject = (v: unknown): v is Messages => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepMerge(...sources: Messages[]): Messages {
  const out: Messages = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      const prev = out[key];
      out[key] = isObject(prev) && isObject(value) ? deepMerge(prev, value) : value;
    }
  }
  return out;
}

export const LOCALES = [
  { locale: 'zh-CN', name: '简体中文' },
  { locale: 'en', name: 'English' },
];

/**
 * `documentTitleKey` names the browser tab's title; it and `<html lang>` follow the locale (the
 * lang attribute also tells the browser and assistive technology which language the page is in).
 */
export function createI18nProvider(app: { zh: Messages; en: Messages; documentTitleKey?: string }): I18nProvider {
  // English ra messages underneath the Chinese ones so that a key added by a later react-admin
  // release still shows something readable.
  const zh = deepMerge(englishMessages, raChineseMessages, sharedZh, app.zh) as TranslationMessages;
  const en = deepMerge(englishMessages, sharedEn, app.en) as TranslationMessages;
  const provider = polyglotI18nProvider((locale) => (locale === 'en' ? en : zh), getUiLocale(), LOCALES, {
    allowMissing: true,
  });
  const applyToDocument = (locale: string) => {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = locale;
    if (app.documentTitleKey) document.title = provider.translate(app.documentTitleKey);
  };
  applyToDocument(getUiLocale());
  return {
    ...provider,
    changeLocale: async (locale, options) => {
      await provider.changeLocale(locale, options);
      setUiLocale(locale);
      applyToDocument(getUiLocale());
    },
  };
}
