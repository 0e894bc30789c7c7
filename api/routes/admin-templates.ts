/**
 * 管理后台 (M37) 模板: platform operators list every template (any owner), read one, and 停用 / 启用 it with
 * a reason (audited; the owner's own rule is domain/templates/template-state.ts, the same for both).
 */
import { z } from 'zod';
import { listAllTemplates, OPERATOR_TEMPLATE_SORTS, operatorTemplateView, presentForOperator } from '../../domain/templates/operator-templates';
import { setTemplateEnabledByOperator } from '../../domain/templates/template-state';
import { versionSchema } from '../../domain/templates/update-template';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';
import { noHiddenCharacters } from '../../domain/text/safe-text';

const templateFilter = z.object({
  status: z.enum(['draft', 'published']).optional(),
  kind: z.enum(['word', 'web']).optional(),
  /** true / false, or their text (a select in the console sends strings). */
  enabled: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  ownerType: z.enum(['user', 'enterprise']).optional(),
  q: z.string().max(100).optional(),
});
const stateBody = z
  .object({
    reason: z.string({ required_error: '请填写原因', invalid_type_error: '请填写原因' }).trim().min(1, '请填写原因').max(500, '原因不能超过 500 字').superRefine(noHiddenCharacters('原因', { labelEn: 'The reason', multiline: true })),
    version: versionSchema.optional(),
  })
  .strict();

const idParam = (ctx: AuthedContext) => z.string().min(1).max(36).parse(ctx.req.params.id);

export function adminTemplateRoutes(_deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/admin/templates',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, templateFilter, OPERATOR_TEMPLATE_SORTS, 'updatedAt');
        const { rows, total } = await listAllTemplates(ctx.em, { ...p, ...p.filter });
        return sendList(ctx.res, 'admin/templates', rows, p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/templates/:id',
      access: 'operator',
      async handler(ctx) {
        return operatorTemplateView(ctx.em, idParam(ctx));
      },
    }),
    ...(['enable', 'disable'] as const).map((action) =>
      route({
        method: 'post',
        path: `/admin/templates/:id/${action}`,
        access: 'operator',
        async handler(ctx) {
          const { reason, version } = stateBody.parse(ctx.req.body ?? {});
          return presentForOperator(ctx.em, await setTemplateEnabledByOperator(ctx.em, actorOf(ctx), idParam(ctx), action === 'enable', reason, version));
        },
      }),
    ),
  ];
}
