import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { sampleFieldValues } from '../../domain/templates/field-values';
import { assertTemplateUsable, startContractFromTemplate, startFromTemplateSchema, templateForm } from '../../domain/templates/start-from-template';
import { findTemplate } from '../../domain/templates/template-access';
import { requestTemplateDocument, type RequestTemplateDocumentDeps } from '../../domain/templates/template-generations';
import { runTemplateGenerationWorkflow, type RunGenerationOptions } from '../../workflows/clients/template-generation';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import type { ApiDeps } from '../deps';
import { idempotencyKey } from '../http/idempotency-key';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { reloadAndPresent, viewerOf } from './contract-presenter';
import { templateActor } from './templates';


/**
 * What requestTemplateDocument needs on the API side: the row's database, the store, and the workflow run with the
 * API's timeouts; `keys` (the template, the requesting user) make the workflow findable in Temporal UI.
 */
export function templateGenerationDeps(deps: Pick<ApiDeps, 'services' | 'temporal'>, em: EntityManager, keys?: RunGenerationOptions['keys']): RequestTemplateDocumentDeps {
  const { config, store } = deps.services;
  return {
    em,
    store,
    run: (generationId) => runTemplateGenerationWorkflow(deps.temporal, config.temporal.taskQueue, generationId, { callTimeoutMs: config.contracts.callTimeoutMs, keys }),
  };
}

const previewBody = z.object({ values: z.record(z.unknown()).nullish() }).strict();

const idParam = (ctx: AuthedContext) => z.string().max(36).parse(ctx.req.params.id);

/** 从模板发起: the fill form, previews of the generated document, and the start itself. */
export function templateGenerationRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/templates/:id/form',
      access: 'verified',
      async handler(ctx) {
        const { template } = await findTemplate(ctx.em, templateActor(ctx), idParam(ctx));
        assertTemplateUsable(template);
        return templateForm(template);
      },
    }),
    route({
      method: 'post',
      path: '/templates/:id/preview',
      access: 'verified',
      heavy: true,
      async handler(ctx) {
        const { values } = previewBody.parse(ctx.req.body ?? {});
        const access = await findTemplate(ctx.em, templateActor(ctx), idParam(ctx));
        // Its editors preview drafts; everyone else only what they may use.
        if (!access.canEdit) assertTemplateUsable(access.template);
        const { template } = access;
        const doc = await requestTemplateDocument(templateGenerationDeps(deps, ctx.em, { templateId: template.id, requestedBy: ctx.user.id }), {
          template,
          values: values ?? sampleFieldValues(template.definition.fields),
          purpose: 'preview',
          requestedBy: ctx.user.id,
        });
        ctx.res.setHeader('Content-Type', 'application/pdf');
        ctx.res.setHeader('Content-Disposition', `inline; filename="preview.pdf"; filename*=UTF-8''${encodeURIComponent(`${template.name}（预览）.pdf`)}`);
        ctx.res.setHeader('Cache-Control', 'private, no-store');
        ctx.res.setHeader('X-Page-Count', String(doc.pages.length));
        ctx.res.end(Buffer.from(doc.pdf));
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/contracts/from-template',
      access: 'verified',
      heavy: true,
      status: 201,
      async handler(ctx) {
        const key = idempotencyKey(ctx);
        const request = startFromTemplateSchema.parse(ctx.req.body ?? {});
        const { template } = await findTemplate(ctx.em, templateActor(ctx), request.templateId);
        const contract = await startContractFromTemplate(
          {
            em: ctx.em,
            store,
            limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
            sms: deps.sms,
            publicUrl: config.publicUrl,
            startWorkflow: (c, routing) => startContractWorkflow(deps.temporal, config.temporal.taskQueue, c, { timeoutMs: config.contracts.callTimeoutMs, routing }),
            generation: templateGenerationDeps(deps, ctx.em, { templateId: template.id, requestedBy: ctx.user.id }),
          },
          { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip, actingEnterpriseId: ctx.acting?.enterprise.id ?? null },
          template,
          request,
          { idempotencyKey: key },
        );
        return reloadAndPresent(ctx.em, config, contract.id, viewerOf(ctx));
      },
    }),
  ];
}
