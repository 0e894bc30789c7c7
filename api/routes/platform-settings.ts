import { z } from 'zod';
import { listSettings, updateSetting } from '../../domain/platform/settings';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type RouteDef } from '../http/route';

const updateBody = z.object({ value: z.unknown(), version: z.number().int().min(0) }).strict();

/**
 * 管理后台 → 系统配置 (M37): every setting with its default, its version and the seal type
 * catalogue; change one key at a time, sending back the version the edit was made from (a save
 * from an older version is 409 SETTING_CHANGED: another operator's change is never silently dropped).
 */
export function platformSettingRoutes(_deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/admin/platform-settings',
      access: 'operator',
      handler: async (ctx) => listSettings(ctx.em),
    }),
    route({
      method: 'put',
      path: '/admin/platform-settings/:key',
      access: 'operator',
      async handler(ctx) {
        const body = updateBody.safeParse(ctx.req.body ?? {});
        if (!body.success || !('value' in body.data)) {
          throw invalid('SETTING_VALUE_REQUIRED', '请提供配置值（value）及其读取时的版本（version）', 'Send the new value and the version it was edited from as { "value": …, "version": n }');
        }
        return updateSetting(ctx.em, String(ctx.req.params.key), body.data.value, { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip }, body.data.version);
      },
    }),
  ];
}
