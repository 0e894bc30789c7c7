import type { EntityManager } from '@mikro-orm/core';
import { PlatformSettingSchema } from './platform-setting.entity';

export interface NamedOption {
  code: string;
  name: string;
  nameEn: string;
}

/** Defaults of every platform setting; a row in platform_settings overrides one. */
export const SETTING_DEFAULTS = {
  /** Seal types an enterprise may apply for at certification (M3, M12). */
  sealTypes: [
    { code: 'official', name: '公章', nameEn: 'Official seal' },
    { code: 'contract', name: '合同专用章', nameEn: 'Contract seal' },
    { code: 'finance', name: '财务专用章', nameEn: 'Finance seal' },
    { code: 'legal_rep', name: '法定代表人章', nameEn: 'Legal representative seal' },
    { code: 'hr', name: '人事专用章', nameEn: 'HR seal' },
    { code: 'department', name: '部门章', nameEn: 'Department seal' },
  ] as NamedOption[],
  /** 业务类型 assignable to members (M10). */
  businessTypes: [
    { code: 'procurement', name: '采购', nameEn: 'Procurement' },
    { code: 'sales', name: '销售', nameEn: 'Sales' },
    { code: 'hr', name: '人事', nameEn: 'Human resources' },
    { code: 'finance', name: '财务', nameEn: 'Finance' },
    { code: 'legal', name: '法务', nameEn: 'Legal' },
  ] as NamedOption[],
  /** How often a certificate order workflow asks the CA for the order's status (M14). */
  caPollIntervalSeconds: 300,
  /** Validity of an enterprise (seal) certificate requested from the CA, in days. */
  certificateValidityDays: 365,
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

export async function getSetting<K extends SettingKey>(em: EntityManager, key: K): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const row = await em.findOne(PlatformSettingSchema, { key });
  return row ? (JSON.parse(row.value) as (typeof SETTING_DEFAULTS)[K]) : SETTING_DEFAULTS[key];
}
