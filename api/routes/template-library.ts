import { z } from 'zod';
import { FIELD_VALUE_TYPES } from '../../domain/templates/field-values';
import { createLibraryField, deleteLibraryField, libraryFieldInputSchema, listLibraryFields, updateLibraryField } from '../../domain/templates/library-fields';
import type { TemplateActor } from '../../domain/templates/template-access';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';

/** The acting party: the enterprise the session acts for (切换至企业) with the caller's role, else the user. */
const actorOf = (ctx: AuthedContext): TemplateActor => ({
  id: ctx.user.id,
  name: ctx.user.name,
  ip: ctx.ip,
  acting: ctx.acting ? { enterpriseId: ctx.acting.enterprise.id, role: ctx.acting.membership.role } : null,
});

const listQuery = z.object({ q: z.string().max(40).optional(), type: z.enum(FIELD_VALUE_TYPES).optional() });

/**
 * 模板字段管理 (M20): the acting party's library of body fields for Web templates. Every member
 * lists; managing an enterprise's library needs the console role (the domain decides, 403 otherwise).
 */
export function templateLibraryRoutes(_deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/template-fields',
      access: 'verified',
      async handler(ctx) {
        return listLibraryFields(ctx.em, actorOf(ctx), listQuery.parse(ctx.req.query));
      },
    }),
    route({
      method: 'post',
      path: '/template-fields',
      access: 'verified',
      status: 201,
      async handler(ctx) {
        return createLibraryField(ctx.em, actorOf(ctx), libraryFieldInputSchema.parse(ctx.req.body ?? {}));
      },
    }),
    route({
      method: 'put',
      path: '/template-fields/:id',
      access: 'verified',
      async handler(ctx) {
        return updateLibraryField(ctx.em, actorOf(ctx), String(ctx.req.params.id), libraryFieldInputSchema.parse(ctx.req.body ?? {}));
      },
    }),
    route({
      method: 'delete',
      path: '/template-fields/:id',
      access: 'verified',
      async handler(ctx) {
        await deleteLibraryField(ctx.em, actorOf(ctx), String(ctx.req.params.id));
        ctx.res.status(204).end();
        return undefined;
      },
    }),
  ];
}
