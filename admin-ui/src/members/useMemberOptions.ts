import { useLocaleState } from 'react-admin';
import { joinNames } from '../../../ui-shared/src/format';
import { useOptionNames } from '../../../ui-shared/src/hooks/useOptionNames';

/** 业务类型 codes → names in the UI locale, as a list (采购、销售 / Procurement, Sales). */
export function useBusinessTypeNames(): (codes: string[]) => string {
  const [locale] = useLocaleState();
  const names = useOptionNames('/api/config/business-types');
  return (codes) => joinNames(names(codes), locale);
}
