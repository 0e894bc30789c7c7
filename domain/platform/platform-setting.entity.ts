import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/** System configuration that platform operators change at run time (管理后台 → 系统配置). Value is JSON. */
export interface PlatformSetting {
  [OptionalProps]?: 'version';
  key: string;
  value: string;
  updatedAt: Date;
  updatedBy: string | null;
  /**
   * Optimistic lock: an operator saves a whole value (e.g. every 业务类型) edited from the version
   * they read; a save based on an older version is refused instead of dropping another operator's change.
   */
  version: number;
}

export const PlatformSettingSchema = new EntitySchema<PlatformSetting>({
  name: 'PlatformSetting',
  tableName: 'platform_settings',
  properties: {
    key: { type: 'string', length: 60, primary: true },
    value: { type: 'text' },
    updatedAt: { type: 'datetime' },
    updatedBy: { type: 'string', length: 36, nullable: true },
    version: { type: 'integer', version: true },
  },
});
