import { useLocaleState } from 'react-admin';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { optionName, type NamedOption } from '../../../ui-shared/src/types';

/** 业务类型 codes → names in the UI locale. */
export function useBusinessTypeNames(): (codes: string[]) => string {
  const [locale] = useLocaleState();
  const { data } = useApiGet<NamedOption[]>('/api/config/business-types');
  return (codes) =>
    codes
      .map((c) => {
        const o = data?.find((t) => t.code === c);
        return o ? optionName(o, locale) : c;
      })
      .join('、');
}
