import { EntitySchema } from '@mikro-orm/core';

/** System configuration that platform operators change at run time (管理后台 → 系统配置). Value is JSON. */
export interface PlatformSetting {
  key: string;
  value: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export const PlatformSettingSchema = new EntitySchema<PlatformSetting>({
  name: 'PlatformSetting',
  tableName: 'platform_settings',
  properties: {
    key: { type: 'string', length: 60, primary: true },
    value: { type: 'text' },
    updatedAt: { type: 'datetime' },
    updatedBy: { type: 'string', length: 36, nullable: true },
  },
});
