/**
 * 模板文件 (M17–M19) management: list, create with upload, view, edit, replace the source, publish,
 * 启用/停用, delete, shares. Access `verified`; the domain decides the owner party and the console
 * role (domain/templates/template-access.ts).
 */
import { z } from 'zod';
import { invalid } from '../../domain/errors';
import { createTemplate, createTemplateInfoSchema } from '../../domain/templates/create-template';
import { deleteTemplate } from '../../domain/templates/delete-template';
import { listTemplates, templateListQuerySchema } from '../../domain/templates/list-templates';
import { publishTemplate } from '../../domain/templates/publish-template';
import { findTemplate, type TemplateActor } from '../../domain/templates/template-access';
import { listTemplateShares, shareTemplate, unshareTemplate } from '../../domain/templates/template-shares';
import { SOURCE_CONTENT_TYPES } from '../../domain/templates/template-source';
import { setTemplateEnabled } from '../../domain/templates/template-state';
import { templateView } from '../../domain/templates/template-view';
import { replaceTemplateSource, updateTemplate, updateTemplateSchema, versionSchema } from '../../domain/templates/update-template';
import { runTemplateGenerationWorkflow } from '../../workflows/clients/template-generation';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';

const idParam = z.string().min(1).max(36);
const versionBody = z.object({ version: versionSchema }).strict();
const optionalVersionBody = z.object({ version: versionSchema.optional() }).strict();
const shareBody = z.object({ editable: z.boolean({ required_error: '请选择是否可编辑', invalid_type_error: '是否可编辑须为 true 或 false' }) }).strict();

export const templateActor = (ctx: AuthedContext): TemplateActor => ({
  id: ctx.user.id,
  name: ctx.user.name,
  ip: ctx.ip,
  acting: ctx.acting ? { enterpriseId: ctx.acting.enterprise.id, role: ctx.acting.membership.role } : null,
});

/** A JSON value sent as a multipart text field (`info`). */
function jsonField(body: Record<string, unknown> | undefined, name: string, zh: string): unknown {
  const raw = body?.[name];
  if (typeof raw !== 'string') throw invalid('BAD_TEMPLATE_INFO', `缺少${zh}`, `The ${name} field is missing`);
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid('BAD_TEMPLATE_INFO', `${zh}格式不正确`, `Malformed ${name} (JSON expected)`);
  }
}

function uploaded(ctx: AuthedContext): Uint8Array {
  const file = ctx.req.file;
  if (!file) throw invalid('FILE_REQUIRED', '请上传模板文件（Word 模板为 .docx，Web 模板为 PDF）', 'Upload the template file (.docx for Word, PDF for Web)');
  return new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
}

export function templateRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  const limits = { maxBytes: config.maxUploadBytes, maxPages: config.maxPages };
  const id = (ctx: AuthedContext) => idParam.parse(ctx.req.params.id);
  return [
    route({
      method: 'get',
      path: '/templates',
      access: 'verified',
      async handler(ctx) {
        return listTemplates(ctx.em, templateActor(ctx), templateListQuerySchema.parse(ctx.req.query));
      },
    }),
    route({
      method: 'post',
      path: '/templates',
      access: 'verified',
      upload: true,
      heavy: true,
      status: 201,
      async handler(ctx) {
        const info = createTemplateInfoSchema.parse(jsonField(ctx.req.body as Record<string, unknown> | undefined, 'info', '模板信息'));
        const access = await createTemplate({ em: ctx.em, store, limits }, templateActor(ctx), info, uploaded(ctx));
        return templateView(ctx.em, access);
      },
    }),
    route({
      method: 'get',
      path: '/templates/:id',
      access: 'verified',
      async handler(ctx) {
        return templateView(ctx.em, await findTemplate(ctx.em, templateActor(ctx), id(ctx)));
      },
    }),
    route({
      method: 'put',
      path: '/templates/:id',
      access: 'verified',
      async handler(ctx) {
        const access = await updateTemplate({ em: ctx.em }, templateActor(ctx), id(ctx), updateTemplateSchema.parse(ctx.req.body ?? {}));
        return templateView(ctx.em, access);
      },
    }),
    route({
      method: 'get',
      path: '/templates/:id/source',
      access: 'verified',
      async handler(ctx) {
        const { template } = await findTemplate(ctx.em, templateActor(ctx), id(ctx));
        const bytes = await store.get(template.sourceKey);
        ctx.res.setHeader('Content-Type', SOURCE_CONTENT_TYPES[template.kind]);
        ctx.res.setHeader('Cache-Control', 'private, no-store');
        ctx.res.setHeader('ETag', `"${template.sourceSha256}"`);
        ctx.res.end(Buffer.from(bytes));
        return undefined;
      },
    }),
    route({
      method: 'put',
      path: '/templates/:id/source',
      access: 'verified',
      upload: true,
      heavy: true,
      async handler(ctx) {
        const { version } = versionBody.parse({ version: (ctx.req.body as Record<string, unknown> | undefined)?.version });
        const access = await replaceTemplateSource({ em: ctx.em, store, limits }, templateActor(ctx), id(ctx), version, uploaded(ctx));
        return templateView(ctx.em, access);
      },
    }),
    route({
      method: 'post',
      path: '/templates/:id/publish',
      access: 'verified',
      heavy: true,
      async handler(ctx) {
        const { version } = versionBody.parse(ctx.req.body ?? {});
        const keys = { templateId: id(ctx), requestedBy: ctx.user.id };
        const run = (generationId: string) => runTemplateGenerationWorkflow(deps.temporal, config.temporal.taskQueue, generationId, { callTimeoutMs: config.contracts.callTimeoutMs, keys });
        const access = await publishTemplate({ em: ctx.em, store, run }, templateActor(ctx), id(ctx), version);
        return templateView(ctx.em, access);
      },
    }),
    ...(['enable', 'disable'] as const).map((action) =>
      route({
        method: 'post',
        path: `/templates/:id/${action}`,
        access: 'verified',
        async handler(ctx) {
          const { version } = optionalVersionBody.parse(ctx.req.body ?? {});
          return templateView(ctx.em, await setTemplateEnabled(ctx.em, templateActor(ctx), id(ctx), action === 'enable', version));
        },
      }),
    ),
    route({
      method: 'delete',
      path: '/templates/:id',
      access: 'verified',
      async handler(ctx) {
        await deleteTemplate({ em: ctx.em, store }, templateActor(ctx), id(ctx));
        ctx.res.status(204).end();
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/templates/:id/shares',
      access: 'verified',
      async handler(ctx) {
        return listTemplateShares(ctx.em, templateActor(ctx), id(ctx));
      },
    }),
    route({
      method: 'put',
      path: '/templates/:id/shares/:enterpriseId',
      access: 'verified',
      async handler(ctx) {
        const { editable } = shareBody.parse(ctx.req.body ?? {});
        return shareTemplate(ctx.em, templateActor(ctx), id(ctx), idParam.parse(ctx.req.params.enterpriseId), editable);
      },
    }),
    route({
      method: 'delete',
      path: '/templates/:id/shares/:enterpriseId',
      access: 'verified',
      async handler(ctx) {
        await unshareTemplate(ctx.em, templateActor(ctx), id(ctx), idParam.parse(ctx.req.params.enterpriseId));
        ctx.res.status(204).end();
        return undefined;
      },
    }),
  ];
}
