import { createI18nProvider } from '../../ui-shared/src/i18n/createI18nProvider';
import { adminEn } from './i18n/en';
import { adminZh } from './i18n/zh';

export const i18nProvider = createI18nProvider({ zh: adminZh, en: adminEn, documentTitleKey: 'admin.app_name' });
