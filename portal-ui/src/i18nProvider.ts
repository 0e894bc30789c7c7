import { createI18nProvider } from '../../ui-shared/src/i18n/createI18nProvider';
import { portalEn } from './i18n/en';
import { portalZh } from './i18n/zh';

export const i18nProvider = createI18nProvider({ zh: portalZh, en: portalEn, documentTitleKey: 'portal.document_title' });
