/**
 * 批量签署 (M30): check → one SMS code for the batch → submit → progress. The rules are in
 * domain/contracts/batch/ (eligibility, the code bound to user + contract set with one-time use,
 * item states); the signing itself is the BatchSignWorkflow (`batch-sign:<batchId>`), which sends
 * each contract's own `sign` Update. Mounted before the contract routes: `/contracts/batch-sign/…`
 * is not a contract id.
 */
import { z } from 'zod';
import { loadOwnBatch, requestBatchCode, submitBatchCode } from '../../domain/contracts/batch/batch-code';
import { batchEligibilities, MAX_BATCH_CONTRACTS, presentEligibility } from '../../domain/contracts/batch/batch-eligibility';
import { batchProgress, markBatchRunning } from '../../domain/contracts/batch/batch-items';
import type { BatchSigning } from '../../domain/contracts/batch/batch-signing.entity';
import { startBatchSignWorkflow } from '../../workflows/clients/start-batch-sign-workflow';
import type { ApiDeps } from '../deps';
import { instantParam } from '../http/date-params';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';
import { batchTemporalUnavailable, isTemporalUnreachable } from '../http/update-failure';
import { viewerOf } from './contract-presenter';

const contractIds = z
  .array(z.string().min(1).max(36), { required_error: '请选择合同', invalid_type_error: '请选择合同' })
  .min(1, '请选择合同')
  .max(MAX_BATCH_CONTRACTS, `一次最多批量签署 ${MAX_BATCH_CONTRACTS} 份合同`);
const idsBody = z.object({ ids: contractIds }).strict();
const submitBody = z
  .object({
    batchId: z.string({ required_error: '缺少批次' }).uuid('批次编号无效'),
    code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字'),
  })
  .strict();
const batchIdParam = z.string().uuid('批次编号无效');
const progressQuery = z.object({ since: instantParam.optional() });


export function contractBatchSignRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;

  /**
   * Starts the batch's workflow if it has not started yet (idempotent); Temporal unreachable → 503, the batch stays
   * confirmed (its code spent: the message does not say it stays valid) and the next progress poll starts it.
   */
  async function ensureStarted(ctx: AuthedContext, batch: BatchSigning) {
    if (batch.status !== 'confirmed') return;
    try {
      await startBatchSignWorkflow(deps.temporal, config.temporal.taskQueue, batch, config.contracts.callTimeoutMs);
    } catch (err) {
      if (isTemporalUnreachable(err)) throw batchTemporalUnavailable();
      throw err;
    }
    await markBatchRunning(ctx.em, batch.id);
  }

  return [
    route({
      method: 'post',
      path: '/contracts/batch-sign/check',
      access: 'verified',
      async handler(ctx) {
        const { ids } = idsBody.parse(ctx.req.body ?? {});
        const checked = await batchEligibilities(ctx.em, ids, viewerOf(ctx));
        return { items: checked.map(presentEligibility) };
      },
    }),
    route({
      method: 'post',
      path: '/contracts/batch-sign/sms-code',
      access: 'verified',
      async handler(ctx) {
        const { ids } = idsBody.parse(ctx.req.body ?? {});
        return requestBatchCode(ctx.em, deps.sms(ctx.em), viewerOf(ctx), actorOf(ctx), ids);
      },
    }),
    route({
      method: 'post',
      path: '/contracts/batch-sign',
      access: 'verified',
      async handler(ctx) {
        const body = submitBody.parse(ctx.req.body ?? {});
        const batch = await submitBatchCode(ctx.em, body.batchId, actorOf(ctx), body.code);
        await ensureStarted(ctx, batch);
        // Signing goes on in the background: poll the progress.
        ctx.res.status(202).setHeader('Retry-After', '1');
        ctx.res.json({ ...(await batchProgress(ctx.em, await loadOwnBatch(ctx.em, batch.id, ctx.user.id))), poll: `/api/contracts/batch-sign/${batch.id}` });
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/contracts/batch-sign/:batchId',
      access: 'verified',
      async handler(ctx) {
        const batchId = batchIdParam.parse(String(ctx.req.params.batchId));
        const { since } = progressQuery.parse(ctx.req.query);
        let batch = await loadOwnBatch(ctx.em, batchId, ctx.user.id);
        if (batch.status === 'confirmed') {
          await ensureStarted(ctx, batch);
          batch = await loadOwnBatch(ctx.em, batchId, ctx.user.id);
        }
        return batchProgress(ctx.em, batch, since);
      },
    }),
  ];
}
