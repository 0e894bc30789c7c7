import { z } from 'zod';
import { readContractOptions } from '../../domain/contracts/contract-options';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { lookupEnterprises } from '../../domain/contracts/enterprise-lookup';
import { invalid } from '../../domain/errors';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import type { ApiDeps } from '../deps';
import { idempotencyKey } from '../http/idempotency-key';
import { route, type RouteDef } from '../http/route';
import { reloadAndPresent, viewerOf } from './contract-presenter';

const lookupQuery = z.object({ q: z.string().trim().max(50, '搜索内容过长').default('') });

/** The multipart form of 发起合同: `spec` arrives as a JSON string beside the `file`. */
function parseSpec(body: Record<string, unknown> | undefined) {
  let spec: unknown = body?.spec;
  if (typeof spec === 'string') {
    try {
      spec = JSON.parse(spec);
    } catch {
      throw invalid('BAD_SPEC', '合同信息格式不正确', 'Malformed contract spec (JSON expected)');
    }
  }
  if (typeof spec !== 'object' || spec === null) throw invalid('BAD_SPEC', '缺少合同信息', 'The contract spec is missing');
  return startContractSpecSchema.parse(spec);
}

/** 发起合同 and what its wizard needs: options (default expiry, mark sizes, seal types) and the enterprise lookup. */
export function contractStartRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  const timing = config.contracts; // TEMPORAL_CALL_TIMEOUT_SECONDS
  return [
    route({
      method: 'get',
      path: '/contracts/options',
      access: 'user',
      handler: async (ctx) => readContractOptions(ctx.em),
    }),
    route({
      method: 'get',
      path: '/enterprises/lookup',
      access: 'verified',
      async handler(ctx) {
        const { q } = lookupQuery.parse(ctx.req.query);
        return lookupEnterprises(ctx.em, q);
      },
    }),
    route({
      method: 'post',
      path: '/contracts',
      access: 'verified',
      upload: true,
      heavy: true,
      status: 201,
      async handler(ctx) {
        const key = idempotencyKey(ctx);
        const spec = parseSpec(ctx.req.body as Record<string, unknown> | undefined);
        const file = ctx.req.file;
        if (!file) throw invalid('FILE_REQUIRED', '请上传合同 PDF 文件', 'Upload the contract PDF');
        const contract = await startContract(
          {
            em: ctx.em,
            store,
            limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
            sms: deps.sms,
            publicUrl: config.publicUrl,
            startWorkflow: (c, routing) => startContractWorkflow(deps.temporal, config.temporal.taskQueue, c, { timeoutMs: timing.callTimeoutMs, routing }),
          },
          { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip, actingEnterpriseId: ctx.acting?.enterprise.id ?? null },
          spec,
          new Uint8Array(file.buffer),
          { idempotencyKey: key },
        );
        return reloadAndPresent(ctx.em, config, contract.id, viewerOf(ctx));
      },
    }),
  ];
}
